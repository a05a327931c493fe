package import CCurl
import CCurlShims

/// One libcurl easy handle. Not thread-safe (libcurl's rule): each is owned by one thread, the
/// sender's serial queue (or a shop connection's executor). Options are set through the typed C wrappers.
package final class CurlEasy {
    package let handle: UnsafeMutableRawPointer

    package init() throws(MailTransportError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw MailTransportError("curl_easy_init failed") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// curl_global_init is not thread-safe: run it once, before any handle exists.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Back to the defaults before the next transfer; keeps the open connections for reuse.
    package func reset() { curl_easy_reset(handle) }

    package func set(_ option: CURLoption, _ value: Int) throws(MailTransportError) {
        try check(orderflow_curl_setopt_long(handle, option, value), option)
    }

    package func set(_ option: CURLoption, _ value: String) throws(MailTransportError) {
        try check(value.withCString { orderflow_curl_setopt_string(handle, option, $0) }, option)
    }

    package func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(MailTransportError) {
        try check(orderflow_curl_setopt_pointer(handle, option, pointer), option)
    }

    package func set(_ option: CURLoption, callback: curl_write_callback) throws(MailTransportError) {
        try check(orderflow_curl_setopt_write_callback(handle, option, callback), option)
    }

    /// Its own label: both callback types are the same function type to Swift.
    func set(_ option: CURLoption, readCallback: curl_read_callback) throws(MailTransportError) {
        try check(orderflow_curl_setopt_read_callback(handle, option, readCallback), option)
    }

    package func responseCode() -> Int { info(CURLINFO_RESPONSE_CODE) }

    /// How many new connections the last transfer had to open (0 when it reused one).
    func connectionsOpened() -> Int { info(CURLINFO_NUM_CONNECTS) }

    private func info(_ item: CURLINFO) -> Int {
        var value = 0
        _ = orderflow_curl_getinfo_long(handle, item, &value)
        return value
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(MailTransportError) {
        guard code == CURLE_OK else {
            throw MailTransportError("curl option \(option.rawValue): \(Self.describe(code))")
        }
    }

    package static func describe(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }
}

/// The linked libcurl, for `orderflow --version`.
public enum LibCurl {
    /// "7.88.1", from libcurl's own "libcurl/7.88.1 OpenSSL/3.0.17 …".
    public static var version: String {
        let full = String(cString: curl_version())
        return String(full.prefix { $0 != " " }.dropFirst("libcurl/".count))
    }
}

/// An owned curl_slist (the recipients, a request's headers); freed with its owner.
package final class CurlStringList {
    package private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    package init(_ lines: [String]) {
        for line in lines { pointer = curl_slist_append(pointer, line) }
    }

    deinit { curl_slist_free_all(pointer) }
}
