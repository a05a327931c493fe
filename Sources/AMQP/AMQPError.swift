/// An error from the broker or from librabbitmq.
///
/// `description` never contains credentials: URLs are never quoted in errors.
public struct AMQPError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidURL, connectionFailed, loginFailed, connectionLost, channelClosed, connectionClosed, timeout,
                publishFailed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        public static let invalidURL = Code(.invalidURL)
        /// TCP/TLS connect failed (broker down, refused, TLS verification failed).
        public static let connectionFailed = Code(.connectionFailed)
        /// The broker refused the credentials or the virtual host.
        public static let loginFailed = Code(.loginFailed)
        /// The socket broke or heartbeats stopped: reconnect.
        public static let connectionLost = Code(.connectionLost)
        /// The broker closed the channel (e.g. 404 NOT_FOUND, 406 PRECONDITION_FAILED): reopen or reconnect.
        public static let channelClosed = Code(.channelClosed)
        /// The broker closed the connection (e.g. 320 CONNECTION_FORCED on shutdown): reconnect.
        public static let connectionClosed = Code(.connectionClosed)
        /// A confirm or reply did not arrive in time.
        public static let timeout = Code(.timeout)
        /// A frame could not be sent.
        public static let publishFailed = Code(.publishFailed)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The broker's reply code (404, 406, 320, ...) for channel/connection closes.
    public let replyCode: UInt16?
    public let message: String

    public init(_ code: Code, replyCode: UInt16? = nil, message: String) {
        self.code = code
        self.replyCode = replyCode
        self.message = message
    }

    public var description: String {
        let reply = replyCode.map { " \($0)" } ?? ""
        return "AMQPError(\(code)\(reply)): \(message)"
    }

    /// Whether a new connection can cure it. A refused login or a bad URL will not get better by retrying.
    public var isRecoverable: Bool { code != .invalidURL && code != .loginFailed }
}
