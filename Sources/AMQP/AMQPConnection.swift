internal import CRabbitMQ
internal import CShims
import Glibc

/// A synchronous AMQP 0-9-1 connection with one channel, over librabbitmq.
///
/// Not `Sendable` on purpose: librabbitmq connections are not thread-safe, so a connection lives on
/// the thread that opened it (see `AMQPConsumer` for the thread-owning consumer). Heartbeats are only
/// serviced inside librabbitmq calls, so whoever owns a connection must keep calling `nextEvent`.
public final class AMQPConnection {
    private var state: amqp_connection_state_t?
    private let channel: amqp_channel_t = 1
    public let configuration: AMQPConfiguration
    private var nextPublishSequence: UInt64 = 1
    private var confirmsEnabled = false
    private var prefetch: UInt16?

    /// librabbitmq's version string, e.g. "0.11.0".
    public static var libraryVersion: String { String(cString: amqp_version()) }

    /// Connects, logs in and opens channel 1.
    public init(_ configuration: AMQPConfiguration) throws(AMQPError) {
        self.configuration = configuration
        guard let state = amqp_new_connection() else { throw AMQPError(.connectionFailed, message: "out of memory") }
        self.state = state
        do {
            try open(state)
        } catch {
            amqp_destroy_connection(state)
            self.state = nil
            throw error
        }
    }

    deinit { close() }

    private func open(_ state: amqp_connection_state_t) throws(AMQPError) {
        let socket: OpaquePointer?
        if let tls = configuration.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else { throw AMQPError(.connectionFailed, message: "cannot create TLS socket") }
            if let ca = tls.caCertificateFile, amqp_ssl_socket_set_cacert(socket, ca) != 0 {
                throw AMQPError(.connectionFailed, message: "cannot read CA certificate file")
            }
            if let cert = tls.certificateFile, let key = tls.keyFile, amqp_ssl_socket_set_key(socket, cert, key) != 0 {
                throw AMQPError(.connectionFailed, message: "cannot read client certificate or key")
            }
            amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
            amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
        } else {
            socket = amqp_tcp_socket_new(state)
            guard socket != nil else { throw AMQPError(.connectionFailed, message: "cannot create socket") }
        }
        var timeout = Glibc.timeval(tv_sec: configuration.connectTimeoutSeconds, tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(
                .connectionFailed,
                message:
                    "cannot connect to \(configuration.host):\(configuration.port): "
                    + "\(String(cString: amqp_error_string2(status)))"
            )
        }
        let reply = withClientProperties { properties in
            orderflow_amqp_login_plain_with_properties(
                state, configuration.virtualHost, 0, 131_072,
                Int32(configuration.heartbeatSeconds), properties,
                configuration.user, configuration.password)
        }
        if reply.reply_type != AMQP_RESPONSE_NORMAL {
            let error = Self.error(from: reply, during: "login")
            // A refused login is a close with 403 (we advertise authentication_failure_close); a socket
            // closed during the handshake is a lost connection (a broker restarting, a network cut),
            // to be retried: taking it for a refusal would stop a worker's consumer for good.
            if error.replyCode == 403 || error.replyCode == 530 {
                throw AMQPError(
                    .loginFailed, replyCode: error.replyCode,
                    message: "login refused for user '\(configuration.user)' on vhost '\(configuration.virtualHost)'")
            }
            throw error
        }
        amqp_channel_open(state, channel)
        try check(amqp_get_rpc_reply(state), "channel.open")
    }

    /// Closes channel and connection politely when possible; always frees the connection. Idempotent.
    public func close() {
        guard let state else { return }
        _ = amqp_channel_close(state, channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
        self.state = nil  // never leave a dangling connection state behind
    }

    /// Closes without the close handshake (for a connection already known to be broken).
    public func abandon() {
        guard let state else { return }
        amqp_destroy_connection(state)
        self.state = nil
    }

    public var isOpen: Bool { state != nil }

    // MARK: topology

    public func declareExchange(
        _ name: String, type: String = "topic", durable: Bool = true,
        arguments: [String: AMQPFieldValue] = [:]
    ) throws(AMQPError) {
        let state = try openState()
        let arena = Arena()
        amqp_exchange_declare(
            state, channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "exchange.declare \(name)")
    }

    /// Declares a queue (or checks it exists with `passive`) and returns its message and consumer counts.
    @discardableResult
    public func declareQueue(
        _ name: String, durable: Bool = true, passive: Bool = false,
        arguments: [String: AMQPFieldValue] = [:]
    ) throws(AMQPError) -> (messages: UInt32, consumers: UInt32) {
        let state = try openState()
        let arena = Arena()
        let ok = amqp_queue_declare(
            state, channel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0, 0, 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "queue.declare \(name)")
        guard let ok else { throw AMQPError(.connectionLost, message: "queue.declare \(name): no reply") }
        return (ok.pointee.message_count, ok.pointee.consumer_count)
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        let state = try openState()
        let arena = Arena()
        amqp_queue_bind(
            state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey), amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "queue.bind \(queue)")
    }

    @discardableResult
    public func deleteQueue(_ name: String) throws(AMQPError) -> UInt32 {
        let state = try openState()
        let arena = Arena()
        let ok = amqp_queue_delete(state, channel, arena.bytes(name), 0, 0)
        try check(amqp_get_rpc_reply(state), "queue.delete \(name)")
        return ok?.pointee.message_count ?? 0
    }

    public func deleteExchange(_ name: String) throws(AMQPError) {
        let state = try openState()
        let arena = Arena()
        amqp_exchange_delete(state, channel, arena.bytes(name), 0)
        try check(amqp_get_rpc_reply(state), "exchange.delete \(name)")
    }

    @discardableResult
    public func purgeQueue(_ name: String) throws(AMQPError) -> UInt32 {
        let state = try openState()
        let arena = Arena()
        let ok = amqp_queue_purge(state, channel, arena.bytes(name))
        try check(amqp_get_rpc_reply(state), "queue.purge \(name)")
        return ok?.pointee.message_count ?? 0
    }

    // MARK: publishing

    /// Puts the channel in confirm mode: every later publish is acked or nacked by the broker.
    public func enableConfirms() throws(AMQPError) {
        let state = try openState()
        amqp_confirm_select(state, channel)
        try check(amqp_get_rpc_reply(state), "confirm.select")
        confirmsEnabled = true
        nextPublishSequence = 1
    }

    /// Sends one message and returns its publish sequence number (the delivery tag its confirm will carry).
    @discardableResult
    public func publish(
        exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = AMQPProperties(),
        mandatory: Bool = false
    ) throws(AMQPError) -> UInt64 {
        let state = try openState()
        let arena = Arena()
        var props = arena.properties(properties)
        let status = body.withUnsafeBufferPointer { buffer in
            amqp_basic_publish(
                state, channel, arena.bytes(exchange), arena.bytes(routingKey), mandatory ? 1 : 0, 0, &props,
                amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(
                Self.isConnectionStatus(status) ? .connectionLost : .publishFailed,
                message: "publish: \(String(cString: amqp_error_string2(status)))")
        }
        defer { if confirmsEnabled { nextPublishSequence += 1 } }
        return confirmsEnabled ? nextPublishSequence : 0
    }

    // MARK: consuming

    /// Per-consumer prefetch (`global=false`): how many unacked deliveries the broker sends ahead.
    public func setPrefetch(_ count: UInt16) throws(AMQPError) {
        let state = try openState()
        amqp_basic_qos(state, channel, 0, count, 0)
        try check(amqp_get_rpc_reply(state), "basic.qos")
        prefetch = count
    }

    /// Takes the next ready message of `queue` (basic.get, to be acked or nacked like a delivery), or
    /// nil when none is ready. Holding a message unacked moves the next call on to the one after it;
    /// closing the connection gives back whatever was not acked.
    public func get(queue: String) throws(AMQPError) -> AMQPReceivedMessage? {
        let state = try openState()
        amqp_maybe_release_buffers(state)
        let arena = Arena()
        let reply = amqp_basic_get(state, channel, arena.bytes(queue), 0)
        try check(reply, "basic.get \(queue)")
        guard reply.reply.id == Method.basicGetOk, let decoded = reply.reply.decoded else { return nil }
        // Copied out before reading the content frames, which may reuse librabbitmq's buffers.
        let ok = decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        let (tag, redelivered) = (ok.delivery_tag, ok.redelivered != 0)
        let (exchange, routingKey) = (Self.string(ok.exchange), Self.string(ok.routing_key))
        var message = amqp_message_t()
        let read = amqp_read_message(state, channel, &message, 0)
        guard read.reply_type == AMQP_RESPONSE_NORMAL else { throw Self.error(from: read, during: "basic.get") }
        defer { amqp_destroy_message(&message) }
        return AMQPReceivedMessage(
            deliveryTag: tag, redelivered: redelivered, exchange: exchange, routingKey: routingKey,
            properties: Self.properties(message.properties), body: Self.bytes(message.body))
    }

    /// Starts a consumer with manual acknowledgements and returns its tag.
    @discardableResult
    public func consume(
        queue: String, consumerTag: String = "", arguments: [String: AMQPFieldValue] = [:]
    ) throws(AMQPError) -> String {
        let state = try openState()
        let arena = Arena()
        let ok = amqp_basic_consume(
            state, channel, arena.bytes(queue), arena.bytes(consumerTag), 0, 0, 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "basic.consume \(queue)")
        return ok.map { Self.string($0.pointee.consumer_tag) } ?? consumerTag
    }

    /// Stops a consumer; deliveries already sent still arrive and must be acked or nacked.
    public func cancel(consumerTag: String) throws(AMQPError) {
        let state = try openState()
        let arena = Arena()
        amqp_basic_cancel(state, channel, arena.bytes(consumerTag))
        try check(amqp_get_rpc_reply(state), "basic.cancel")
    }

    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws(AMQPError) {
        let state = try openState()
        try checkStatus(amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0), "basic.ack")
    }

    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws(AMQPError) {
        let state = try openState()
        try checkStatus(amqp_basic_nack(state, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0), "basic.nack")
    }

    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        let state = try openState()
        try checkStatus(amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0), "basic.reject")
    }

    /// Waits up to `timeout` for the next thing the broker sends; `nil` when nothing came. Services
    /// heartbeats while waiting, and notices a dead peer after about two missed heartbeats.
    public func nextEvent(timeout: Duration) throws(AMQPError) -> AMQPEvent? {
        let state = try openState()
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var wait = Self.makeTimeval(timeout)
        let reply = amqp_consume_message(state, &envelope, &wait, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_envelope(&envelope) }
            return .delivery(
                AMQPReceivedMessage(
                    deliveryTag: envelope.delivery_tag, redelivered: envelope.redelivered != 0,
                    exchange: Self.string(envelope.exchange), routingKey: Self.string(envelope.routing_key),
                    consumerTag: Self.string(envelope.consumer_tag),
                    properties: Self.properties(envelope.message.properties),
                    body: Self.bytes(envelope.message.body)))
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
            return try nextMethodFrame(state)
        default:
            throw Self.error(from: reply, during: "consume")
        }
    }

    /// A non-delivery frame is waiting (librabbitmq said UNEXPECTED_STATE): read and interpret it.
    private func nextMethodFrame(_ state: amqp_connection_state_t) throws(AMQPError) -> AMQPEvent? {
        var frame = amqp_frame_t()
        let status = amqp_simple_wait_frame(state, &frame)
        guard status == AMQP_STATUS_OK.rawValue else { throw Self.lost("wait frame", status) }
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return nil }
        let decoded = frame.payload.method.decoded
        switch frame.payload.method.id {
        case Method.basicAck:
            let ack = decoded!.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .confirm(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0, ack: true)
        case Method.basicNack:
            let nack = decoded!.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .confirm(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0, ack: false)
        case Method.basicCancel:
            let cancel = decoded!.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
            return .consumerCancelled(consumerTag: Self.string(cancel.consumer_tag))
        case Method.basicReturn:
            let info = decoded!.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            var message = amqp_message_t()
            let reply = amqp_read_message(state, frame.channel, &message, 0)
            guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
                throw Self.error(from: reply, during: "basic.return")
            }
            defer { amqp_destroy_message(&message) }
            return .returned(
                AMQPReturnedMessage(
                    replyCode: info.reply_code, replyText: Self.string(info.reply_text),
                    exchange: Self.string(info.exchange),
                    routingKey: Self.string(info.routing_key), properties: Self.properties(message.properties),
                    body: Self.bytes(message.body)))
        case Method.connectionBlocked: return .blocked(true)
        case Method.connectionUnblocked: return .blocked(false)
        case Method.channelClose:
            let close = decoded!.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t()
            amqp_send_method(state, frame.channel, Method.channelCloseOk, &ok)
            let error = AMQPError(.channelClosed, replyCode: close.reply_code, message: Self.string(close.reply_text))
            reopenChannel()
            throw error
        case Method.connectionClose:
            let close = decoded!.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t()
            amqp_send_method(state, 0, Method.connectionCloseOk, &ok)
            throw AMQPError(.connectionClosed, replyCode: close.reply_code, message: Self.string(close.reply_text))
        default:
            return nil
        }
    }

    // MARK: helpers

    private func openState() throws(AMQPError) -> amqp_connection_state_t {
        guard let state else { throw AMQPError(.connectionLost, message: "connection is closed") }
        return state
    }

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws(AMQPError) {
        guard reply.reply_type != AMQP_RESPONSE_NORMAL else { return }
        let error = Self.error(from: reply, during: what)
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && reply.reply.id == Method.channelClose {
            var ok = amqp_channel_close_ok_t()
            if let state { amqp_send_method(state, channel, Method.channelCloseOk, &ok) }
            reopenChannel()
        }
        throw error
    }

    /// After the broker closed the channel (a 404, a 406), opens it again with its confirm mode and
    /// prefetch, so that one refused command does not leave a connection that waits forever.
    /// If that fails too, the connection is dropped and the next call reports it lost.
    private func reopenChannel() {
        guard let state else { return }
        amqp_channel_open(state, channel)
        var ok = amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL
        if ok, confirmsEnabled {
            amqp_confirm_select(state, channel)
            ok = amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL
            nextPublishSequence = 1
        }
        if ok, let prefetch {
            amqp_basic_qos(state, channel, 0, prefetch, 0)
            ok = amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL
        }
        if !ok { abandon() }
    }

    private func checkStatus(_ status: Int32, _ what: String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        throw Self.lost(what, status)
    }

    private static func lost(_ what: String, _ status: Int32) -> AMQPError {
        AMQPError(.connectionLost, message: "\(what): \(String(cString: amqp_error_string2(status)))")
    }

    private static func isConnectionStatus(_ status: Int32) -> Bool {
        status == AMQP_STATUS_CONNECTION_CLOSED.rawValue || status == AMQP_STATUS_SOCKET_ERROR.rawValue
            || status == AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue || status == AMQP_STATUS_SSL_ERROR.rawValue
            || status == AMQP_STATUS_SOCKET_CLOSED.rawValue || status == AMQP_STATUS_TCP_ERROR.rawValue
    }

    static func error(from reply: amqp_rpc_reply_t, during what: String) -> AMQPError {
        switch reply.reply_type {
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case Method.channelClose:
                let close = reply.reply.decoded!.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return AMQPError(
                    .channelClosed, replyCode: close.reply_code, message: "\(what): \(string(close.reply_text))")
            case Method.connectionClose:
                let close = reply.reply.decoded!.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return AMQPError(
                    .connectionClosed, replyCode: close.reply_code, message: "\(what): \(string(close.reply_text))")
            default:
                return AMQPError(.connectionClosed, message: "\(what): unexpected server method \(reply.reply.id)")
            }
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            if reply.library_error == AMQP_STATUS_TIMEOUT.rawValue {
                return AMQPError(.timeout, message: "\(what): timed out")
            }
            return lost(what, reply.library_error)
        default:
            return AMQPError(.connectionLost, message: "\(what): no reply")
        }
    }

    static func string(_ bytes: amqp_bytes_t) -> String {
        guard bytes.len > 0, let base = bytes.bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }

    static func bytes(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard bytes.len > 0, let base = bytes.bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }

    static func properties(_ p: amqp_basic_properties_t) -> AMQPProperties {
        var result = AMQPProperties()
        let flags = p._flags
        if flags & Flag.messageID != 0 { result.messageID = string(p.message_id) }
        if flags & Flag.contentType != 0 { result.contentType = string(p.content_type) }
        if flags & Flag.deliveryMode != 0 { result.deliveryMode = p.delivery_mode }
        if flags & Flag.timestamp != 0 { result.timestamp = p.timestamp }
        if flags & Flag.type != 0 { result.type = string(p.type) }
        if flags & Flag.correlationID != 0 { result.correlationID = string(p.correlation_id) }
        if flags & Flag.headers != 0 { result.headers = Arena.dictionary(p.headers) }
        return result
    }

    static func makeTimeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// Client properties advertising the capabilities we handle (server-side cancel, confirms, blocking).
    private func withClientProperties<R>(_ body: (UnsafePointer<amqp_table_t>) -> R) -> R {
        let arena = Arena()
        let capabilities = arena.table([
            "consumer_cancel_notify": .bool(true), "publisher_confirms": .bool(true), "basic.nack": .bool(true),
            "connection.blocked": .bool(true), "authentication_failure_close": .bool(true),
        ])
        var properties = arena.table([
            "connection_name": .string(configuration.connectionName), "product": .string("orderflow"),
        ])
        let entries = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: Int(properties.num_entries) + 1)
        defer { entries.deallocate() }
        for i in 0..<Int(properties.num_entries) { entries[i] = properties.entries[i] }
        var capabilityValue = amqp_field_value_t()
        capabilityValue.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
        capabilityValue.value.table = capabilities
        entries[Int(properties.num_entries)] = amqp_table_entry_t(
            key: arena.bytes("capabilities"), value: capabilityValue)
        properties.entries = entries
        properties.num_entries += 1
        return withUnsafePointer(to: &properties) { body($0) }
    }
}

/// Method ids and property flags: C macros with casts that Swift does not import.
enum Method {
    static let connectionClose: amqp_method_number_t = 0x000A_0032
    static let connectionCloseOk: amqp_method_number_t = 0x000A_0033
    static let connectionBlocked: amqp_method_number_t = 0x000A_003C
    static let connectionUnblocked: amqp_method_number_t = 0x000A_003D
    static let channelClose: amqp_method_number_t = 0x0014_0028
    static let channelCloseOk: amqp_method_number_t = 0x0014_0029
    static let basicCancel: amqp_method_number_t = 0x003C_001E
    static let basicGetOk: amqp_method_number_t = 0x003C_0047
    static let basicReturn: amqp_method_number_t = 0x003C_0032
    static let basicAck: amqp_method_number_t = 0x003C_0050
    static let basicNack: amqp_method_number_t = 0x003C_0078
}

enum Flag {
    static let contentType: amqp_flags_t = 1 << 15
    static let headers: amqp_flags_t = 1 << 13
    static let deliveryMode: amqp_flags_t = 1 << 12
    static let correlationID: amqp_flags_t = 1 << 10
    static let messageID: amqp_flags_t = 1 << 7
    static let timestamp: amqp_flags_t = 1 << 6
    static let type: amqp_flags_t = 1 << 5
}
