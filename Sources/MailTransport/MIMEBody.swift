import CCurl
import CCurlShims
import OrdersMail

/// An email as libcurl MIME: multipart/mixed holding one inline multipart/alternative with the
/// text and HTML parts, UTF-8, quoted-printable. libcurl adds MIME-Version and the boundaries;
/// the RFC 5322 headers go in as the transfer's header list. Attached to one easy handle for one
/// transfer, then freed.
final class MIMEBody {
    private let mime: OpaquePointer
    private let headers: CurlStringList

    init(_ message: EmailMessage, on easy: CurlEasy) throws(MailTransportError) {
        let headerLines: [String]
        do { headerLines = try message.headerLines() } catch { throw MailTransportError("refused header: \(error)") }
        guard let root = curl_mime_init(easy.handle), let alternative = curl_mime_init(easy.handle) else {
            throw MailTransportError("curl_mime_init failed")
        }
        mime = root
        headers = CurlStringList(headerLines)
        try Self.addText(message.text, type: "text/plain; charset=utf-8", to: alternative)
        try Self.addText(message.html, type: "text/html; charset=utf-8", to: alternative)
        guard let container = curl_mime_addpart(root) else { throw MailTransportError("curl_mime_addpart failed") }
        try Self.check(curl_mime_subparts(container, alternative), "curl_mime_subparts")
        try Self.check(curl_mime_type(container, "multipart/alternative"), "curl_mime_type")
        let disposition = CurlStringList(["Content-Disposition: inline"])
        try Self.check(curl_mime_headers(container, disposition.release(), 1), "curl_mime_headers")
        try easy.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headers.pointer))
        try easy.set(CURLOPT_MIMEPOST, pointer: UnsafeMutableRawPointer(mime))
    }

    deinit { curl_mime_free(mime) }

    private static func addText(_ text: String, type: String, to mime: OpaquePointer) throws(MailTransportError) {
        guard let part = curl_mime_addpart(mime) else { throw MailTransportError("curl_mime_addpart failed") }
        let bytes = Array(text.utf8)
        try check(bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { curl_mime_data(part, $0, bytes.count) }
        }, "curl_mime_data")
        try check(curl_mime_type(part, type), "curl_mime_type")
        try check(curl_mime_encoder(part, "quoted-printable"), "curl_mime_encoder")
    }

    private static func check(_ code: CURLcode, _ call: String) throws(MailTransportError) {
        guard code == CURLE_OK else { throw MailTransportError("\(call): \(CurlEasy.describe(code))") }
    }
}
