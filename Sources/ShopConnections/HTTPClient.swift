import CCurl
import MailTransport
import Resilience

/// One HTTP request to a shop's API.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// "Name: value" lines.
    public var headers: [String]
    public var body: [UInt8]?
    /// "user:password" for HTTP basic authentication (WooCommerce's key and secret).
    public var basicAuth: String?

    public init(method: String, url: String, headers: [String] = [], body: [UInt8]? = nil, basicAuth: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
    }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header lines of the final response, names lower-cased.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }

    /// `Retry-After` in seconds (RFC 9110 also allows a date; shops send seconds), at most an hour.
    public var retryAfter: Duration? {
        guard let text = header("retry-after"), let seconds = Double(text), seconds >= 0 else { return nil }
        return .milliseconds(Int64(min(seconds, 3600) * 1000))
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request got no response.
public enum HTTPFailure: Error, Sendable, CustomStringConvertible {
    /// No complete response within the timeout: the shop may or may not have acted on it.
    case timedOut
    /// No connection, TLS refused, connection reset: the request may have reached the shop.
    case transport(String)

    public var description: String {
        switch self {
        case .timedOut: "no response within the timeout"
        case .transport(let reason): reason
        }
    }
}

/// A blocking libcurl client on a thread of its own (ConfinedExecutor), off Swift's cooperative
/// pool; one per shop connection, so its connections are reused. Every request has a total timeout.
public final class HTTPClient: Sendable {
    private let executor: ConfinedExecutor<CurlEasy>
    private let timeout: Duration
    private let caFile: String?

    public init(label: String, timeout: Duration, caFile: String? = nil) {
        self.timeout = timeout
        self.caFile = caFile
        executor = ConfinedExecutor(label: "http.\(label)", open: { try CurlEasy() }, close: { _, _ in })
    }

    public func send(_ request: HTTPRequest) async throws(HTTPFailure) -> HTTPResponse {
        let outcome: Result<HTTPResponse, HTTPFailure>
        do {
            outcome = try await executor.run(brokenIf: { if case .failure = $0 { true } else { false } }) {
                [timeout, caFile] easy in Self.perform(request, on: easy, timeout: timeout, caFile: caFile)
            }
        } catch {
            throw .transport("\(error)")
        }
        return try outcome.get()
    }

    public func close() async { await executor.close() }

    private static func perform(
        _ request: HTTPRequest, on easy: CurlEasy, timeout: Duration, caFile: String?
    ) -> Result<HTTPResponse, HTTPFailure> {
        easy.reset()
        let collector = ResponseCollector()
        let headers = CurlStringList(request.headers + ["Expect:"])
        let body = request.body ?? []
        return body.withUnsafeBytes { bytes -> Result<HTTPResponse, HTTPFailure> in
            do {
                try easy.set(CURLOPT_URL, request.url)
                try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
                try easy.set(CURLOPT_NOSIGNAL, 1)  // several threads; no SIGALRM for timeouts
                try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeout, .seconds(10)).milliseconds))
                try easy.set(CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
                if let caFile { try easy.set(CURLOPT_CAINFO, caFile) }
                try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
                try easy.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headers.pointer))
                if let basicAuth = request.basicAuth {
                    try easy.set(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC, a macro Swift cannot import
                    try easy.set(CURLOPT_USERPWD, basicAuth)
                }
                if request.body != nil {
                    try easy.set(CURLOPT_POSTFIELDSIZE, bytes.count)
                    try easy.set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
                try easy.set(CURLOPT_HEADERFUNCTION, callback: ResponseCollector.headerCallback)
                try easy.set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(collector).toOpaque())
                try easy.set(CURLOPT_WRITEFUNCTION, callback: ResponseCollector.bodyCallback)
                try easy.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(collector).toOpaque())
            } catch {
                return .failure(.transport("\(error)"))
            }
            let code = curl_easy_perform(easy.handle)
            if code == CURLE_OPERATION_TIMEDOUT { return .failure(.timedOut) }
            guard code == CURLE_OK else { return .failure(.transport(CurlEasy.describe(code))) }
            return .success(HTTPResponse(status: easy.responseCode(), headers: collector.headers, body: collector.body))
        }
    }
}

/// Collects one transfer's header lines and body; confined to the executor's thread.
private final class ResponseCollector {
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []

    static let headerCallback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            collector.headers.removeAll()  // a new response (after a 100 Continue): its headers only
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
            collector.headers.append((name, value))
        }
        return length
    }

    static let bodyCallback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        collector.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        return length
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
