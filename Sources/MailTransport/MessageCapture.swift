import CCurl
import Foundation
public import OrdersMail

/// The exact bytes libcurl would send for an email, without a mail server: the transfer goes to a
/// minimal SMTP responder on a loopback port of this process, which keeps the DATA. `render`
/// and the mail folder use it, so what they show is what the SMTP path sends, byte for byte.
public enum MessageCapture {
    public static func bytes(of message: EmailMessage) throws(MailTransportError) -> [UInt8] {
        let listener = try Listener()
        let responder = CaptureResponder(listener: listener)
        let thread = Thread { responder.run() }
        thread.name = "mail-capture"
        thread.start()
        var result: CURLcode = CURLE_OK
        do throws(MailTransportError) {
            let easy = try CurlEasy()
            try easy.set(CURLOPT_URL, "smtp://127.0.0.1:\(listener.port)/capture")
            try easy.set(CURLOPT_MAIL_FROM, "<\(message.from.address)>")
            try easy.set(CURLOPT_NOSIGNAL, 1)
            try easy.set(CURLOPT_TIMEOUT, 10)
            try easy.set(CURLOPT_UPLOAD, 1)
            let recipients = CurlStringList(["<\(message.to.address)>"])
            try easy.set(CURLOPT_MAIL_RCPT, pointer: UnsafeMutableRawPointer(recipients.pointer))
            let body = try MIMEBody(message, on: easy)
            result = curl_easy_perform(easy.handle)
            withExtendedLifetime((body, recipients)) {}
        } catch {
            listener.close()  // wakes a responder still waiting in accept
            responder.waitUntilDone()
            throw error
        }
        // The handle is gone (QUIT sent, connection closed): the responder has finished.
        responder.waitUntilDone()
        guard result == CURLE_OK, let data = responder.data else {
            throw MailTransportError("capturing the message failed: \(CurlEasy.describe(result))")
        }
        return data
    }
}

/// A listening socket on 127.0.0.1 with a port the kernel chose.
private final class Listener: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    init() throws(MailTransportError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MailTransportError("socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(fd)
            throw MailTransportError("cannot listen on 127.0.0.1: errno \(errno)")
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    deinit { Glibc.close(fd) }
}

/// Accepts the one connection and answers just enough SMTP for one message, keeping its DATA
/// (dot-stuffing undone). Runs on its own thread; `data` is read after `waitUntilDone`.
private final class CaptureResponder: @unchecked Sendable {
    private let listener: Listener
    private var fd: Int32 = -1
    private let done = DispatchSemaphore(value: 0)
    private(set) var data: [UInt8]?

    init(listener: Listener) { self.listener = listener }

    func waitUntilDone() { done.wait() }

    func run() {
        fd = accept(listener.fd, nil, nil)
        defer {
            if fd >= 0 { close(fd) }
            done.signal()
        }
        guard fd >= 0 else { return }
        var buffer: [UInt8] = []
        var inData = false
        var message: [UInt8] = []
        reply("220 capture ESMTP")
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
            while let end = Self.lineEnd(in: buffer) {
                let line = Array(buffer[..<end])
                buffer.removeFirst(end + 2)
                if inData {
                    if line == [UInt8(ascii: ".")] {
                        inData = false
                        data = message
                        reply("250 2.0.0 captured")
                    } else {
                        message += line.first == UInt8(ascii: ".") ? Array(line.dropFirst()) : line
                        message += [13, 10]
                    }
                    continue
                }
                let command = String(decoding: line.prefix(4), as: UTF8.self).uppercased()
                switch command {
                case "DATA": inData = true; reply("354 go ahead")
                case "QUIT": reply("221 bye"); return
                case "EHLO", "HELO": reply("250 capture")
                default: reply("250 OK")
                }
            }
        }
    }

    private func reply(_ text: String) {
        let bytes = Array((text + "\r\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func lineEnd(in buffer: [UInt8]) -> Int? {
        guard buffer.count >= 2 else { return nil }
        for index in 0..<(buffer.count - 1) where buffer[index] == 13 && buffer[index + 1] == 10 { return index }
        return nil
    }
}
