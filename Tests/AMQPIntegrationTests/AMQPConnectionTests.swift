import AMQP
import Foundation
import Testing

@Suite("AMQP connection (real broker)")
struct AMQPConnectionTests {
    @Test func confirmsArriveForRoutedMessages() throws {
        let queue = uniqueName("confirm")
        let publisher = try AMQPPublisher(try configuration())
        defer { publisher.close() }
        try publisher.underlyingConnection.declareQueue(queue, durable: false)
        defer { _ = try? publisher.underlyingConnection.deleteQueue(queue) }
        let messages = (0..<50).map { i in
            OutgoingMessage(
                exchange: "", routingKey: queue, body: Array("Bestellung \(i) für Jürgen".utf8),
                properties: .persistentJSON(messageID: "m-\(i)"))
        }
        let result = publisher.publish(messages)
        #expect(result.failure == nil)
        #expect(result.outcomes.count == 50)
        #expect(result.outcomes.allSatisfy { $0.isConfirmed })
        let (count, _) = try publisher.underlyingConnection.declareQueue(queue, durable: false, passive: true)
        #expect(count == 50)
    }

    @Test func mandatoryPublishToAnUnboundKeyIsReturned() throws {
        let publisher = try AMQPPublisher(try configuration())
        defer { publisher.close() }
        let exchange = uniqueName("returns")
        try publisher.underlyingConnection.declareExchange(exchange, type: "topic", durable: false)
        let result = publisher.publish([
            OutgoingMessage(
                exchange: exchange, routingKey: "order.nobody-listens", body: Array("{}".utf8),
                properties: .persistentJSON(messageID: "lost-1"))
        ])
        #expect(result.failure == nil)
        guard case .returned(let code, let text)? = result.outcomes.first else {
            Issue.record("expected a returned message, got \(result.outcomes)"); return
        }
        #expect(code == 312)
        #expect(text == "NO_ROUTE")
    }

    @Test func nackWithRequeueRedeliversWithTheRedeliveredFlag() throws {
        let queue = uniqueName("requeue")
        let connection = try AMQPConnection(try configuration())
        defer { connection.close() }
        try connection.declareQueue(queue, durable: false)
        defer { _ = try? connection.deleteQueue(queue) }
        try connection.publish(
            exchange: "", routingKey: queue, body: Array("x".utf8), properties: .persistentJSON(messageID: "r-1"))
        try connection.setPrefetch(10)
        try connection.consume(queue: queue)
        let first = try #require(try waitForDelivery(connection))
        #expect(first.redelivered == false)
        #expect(first.properties.messageID == "r-1")
        #expect(first.properties.contentType == "application/json")
        #expect(first.properties.deliveryMode == 2)
        try connection.nack(first.deliveryTag, requeue: true)
        let second = try #require(try waitForDelivery(connection))
        #expect(second.redelivered == true)
        #expect(second.body == Array("x".utf8))
        try connection.ack(second.deliveryTag)
    }

    @Test func rejectDeadLetters() throws {
        let queue = uniqueName("reject"), dead = queue + ".dead", dlx = uniqueName("dlx")
        let connection = try AMQPConnection(try configuration())
        defer { connection.close() }
        try connection.declareExchange(dlx, type: "direct", durable: false)
        try connection.declareQueue(dead, durable: false)
        try connection.bindQueue(dead, exchange: dlx, routingKey: queue)
        try connection.declareQueue(
            queue, durable: false,
            arguments: [
                "x-dead-letter-exchange": .string(dlx), "x-dead-letter-routing-key": .string(queue),
            ])
        defer { _ = try? connection.deleteQueue(queue); _ = try? connection.deleteQueue(dead) }
        try connection.publish(
            exchange: "", routingKey: queue, body: Array("poison".utf8), properties: .persistentJSON(messageID: "p-1"))
        try connection.setPrefetch(10)
        try connection.consume(queue: queue)
        let delivery = try #require(try waitForDelivery(connection))
        try connection.reject(delivery.deliveryTag, requeue: false)
        var deadCount: UInt32 = 0
        for _ in 0..<50 where deadCount == 0 {
            _ = try connection.nextEvent(timeout: .milliseconds(100))
            deadCount = try connection.declareQueue(dead, durable: false, passive: true).messages
        }
        #expect(deadCount == 1)
        #expect(try connection.declareQueue(queue, durable: false, passive: true).messages == 0)
    }

    @Test func missingQueueClosesTheChannelWithATypedError() throws {
        let connection = try AMQPConnection(try configuration())
        defer { connection.close() }
        let error = #expect(throws: AMQPError.self) {
            try connection.declareQueue(uniqueName("absent"), passive: true)
        }
        #expect(error?.code == .channelClosed)
        #expect(error?.replyCode == 404)
        // The channel is opened again: the same connection goes on working, confirms included.
        let queue = uniqueName("after-404")
        defer { _ = try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue, durable: false)
        try connection.enableConfirms()
        #expect(throws: AMQPError.self) { try connection.declareQueue(uniqueName("absent"), passive: true) }
        let sequence = try connection.publish(exchange: "", routingKey: queue, body: Array("x".utf8))
        var confirmed = false
        for _ in 0..<50 where !confirmed {
            if case .confirm(let tag, _, let ack)? = try connection.nextEvent(timeout: .milliseconds(100)) {
                confirmed = ack && tag == sequence
            }
        }
        #expect(confirmed, "a publish after the channel error is confirmed")
        #expect(try connection.declareQueue(queue, durable: false, passive: true).messages == 1)
    }

    @Test func wrongPasswordIsALoginFailureWithoutThePassword() throws {
        var config = try configuration()
        config.password = "definitely-wrong-pw"
        let error = #expect(throws: AMQPError.self) { try AMQPConnection(config) }
        #expect(error?.code == .loginFailed)
        #expect(error?.isRecoverable == false)
        #expect(error.map { !$0.description.contains("definitely-wrong-pw") } == true)
    }

    /// Regression: a socket closed in the middle of the login handshake (a broker restarting, a cut
    /// network path) was taken for a refused login, which stopped a worker's consumer for good.
    @Test func aConnectionClosedDuringTheHandshakeIsRecoverable() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        #expect(listening)
        // Takes the protocol header, then hangs up instead of sending connection.start.
        Thread {
            let client = accept(listener, nil, nil)
            var header = [UInt8](repeating: 0, count: 8)
            _ = read(client, &header, 8)
            close(client)
        }.start()
        var config = try configuration()
        config.port = Int(UInt16(bigEndian: address.sin_port))
        let error = #expect(throws: AMQPError.self) { try AMQPConnection(config) }
        #expect(error?.code != .loginFailed, "\(String(describing: error))")
        #expect(error?.isRecoverable == true)
    }

    @Test func urlParsing() throws {
        let c = try AMQPConfiguration(
            url:
                "amqps://us%40er:p%3Ass@broker.example:5999/shop%2Fde"
                + "?heartbeat=20&cacertfile=/ca.pem&verify=verify_peer"
        )
        #expect(c.user == "us@er")
        #expect(c.password == "p:ss")
        #expect(c.host == "broker.example")
        #expect(c.port == 5999)
        #expect(c.virtualHost == "shop/de")
        #expect(c.heartbeatSeconds == 20)
        #expect(c.tls?.caCertificateFile == "/ca.pem")
        #expect(c.tls?.verifyPeer == true)
        #expect(!c.redactedDescription.contains("p:ss"))
        #expect(try AMQPConfiguration(url: "amqp://localhost").virtualHost == "/")
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "http://x") }
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "amqp://h/?bogus=1") }
    }

    @Test func urlWithAnEmptyQueryPairIsRefusedNotACrash() throws {
        for url in ["amqp://u:pw@127.0.0.1:1/?=", "amqp://h/?=x", "amqp://h/?heartbeat=5&=1"] {
            let error = try #require(throws: AMQPError.self) { try AMQPConfiguration(url: url) }
            #expect("\(error)".contains("query parameter without a name"), "\(error)")
            #expect(!"\(error)".contains("pw"))
        }
        #expect(try AMQPConfiguration(url: "amqp://h/?heartbeat=5&&").heartbeatSeconds == 5)
        #expect(try AMQPConfiguration(url: "amqp://h/?").heartbeatSeconds == 15)
    }

    private func waitForDelivery(_ connection: AMQPConnection) throws -> AMQPReceivedMessage? {
        for _ in 0..<100 {
            if case .delivery(let d)? = try connection.nextEvent(timeout: .milliseconds(100)) { return d }
        }
        return nil
    }
}
