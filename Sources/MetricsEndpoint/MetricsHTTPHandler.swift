import NIOCore
import NIOHTTP1
import Prometheus

/// Answers `GET /metrics` (Prometheus text format) and `GET /healthz` (200 when healthy, else 503),
/// and hands requests under the mounted pages' prefix to them; anything else is 404, and methods
/// other than GET and HEAD 405. One response per request, keep-alive honoured.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let health: @Sendable () -> MetricsServer.Health
    private let pages: (any MountedPages)?
    private var request: HTTPRequestHead?
    /// The body of a request for the pages, while it arrives; nil for other requests.
    private var body: [UInt8]?
    private var bodyTooLarge = false

    init(
        registry: PrometheusCollectorRegistry, pages: (any MountedPages)?,
        health: @escaping @Sendable () -> MetricsServer.Health
    ) {
        self.registry = registry
        self.pages = pages
        self.health = health
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            bodyTooLarge = false
            body = pages.map { Self.isUnder($0.prefix, head.uri) } == true ? [] : nil
        case .body(var buffer):
            // Only the pages take a body, and only up to their limit; more is dropped as it comes.
            guard let received = body, let pages, !bodyTooLarge else { break }
            if received.count + buffer.readableBytes > pages.maximumBodyBytes {
                bodyTooLarge = true
            } else {
                body = received + (buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
        case .end:
            guard let head = request else { return }
            request = nil
            if let pages, let received = body {
                body = nil
                respond(to: head, pages: pages, body: received, context: context)
            } else {
                let (status, contentType, body) = Self.response(
                    method: head.method, path: head.uri, registry: registry, health: health)
                write(head, status: status, headers: [("Content-Type", contentType)], body: body, context: context)
            }
        }
    }

    static func isUnder(_ prefix: String, _ uri: String) -> Bool {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The pages answer on a task of their own; the response is written back on the channel's event loop.
    private func respond(
        to head: HTTPRequestHead, pages: any MountedPages, body: [UInt8], context: ChannelHandlerContext
    ) {
        if bodyTooLarge {
            write(
                head, status: .payloadTooLarge, headers: [("Content-Type", "text/plain")],
                body: Array("request body too large\n".utf8), context: context)
            return
        }
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { $0 + (key == "cookie" ? "; " : ", ") + value } ?? value
        }
        let request = PageRequest(
            method: head.method.rawValue, path: String(parts.first ?? ""),
            query: parts.count > 1 ? String(parts[1]) : nil,
            headers: headers, body: body)
        let health = self.health
        context.eventLoop.makeFutureWithTask { await pages.respond(to: request, health: health()) }
            .assumeIsolated().whenSuccess { response in
                self.write(
                    head, status: HTTPResponseStatus(statusCode: response.status), headers: response.headers,
                    body: response.body, context: context)
            }
    }

    private func write(
        _ head: HTTPRequestHead, status: HTTPResponseStatus, headers extra: [(String, String)], body: [UInt8],
        context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders(extra)
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: head.isKeepAlive ? "keep-alive" : "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let keepAlive = head.isKeepAlive
        // On the channel's event loop, where the handler lives: no Sendable hop needed.
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    static func response(
        method: HTTPMethod, path: String, registry: PrometheusCollectorRegistry,
        health: @Sendable () -> MetricsServer.Health
    ) -> (HTTPResponseStatus, String, [UInt8]) {
        guard method == .GET || method == .HEAD else {
            return (.methodNotAllowed, "text/plain", Array("GET or HEAD\n".utf8))
        }
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/metrics":
            return (
                .ok, "text/plain; version=0.0.4; charset=utf-8",
                registry.emitToBuffer() + Array(ProcessMetrics.text().utf8)
            )
        case "/healthz":
            let state = health()
            return (
                state.healthy ? .ok : .serviceUnavailable, "text/plain; charset=utf-8",
                Array((state.detail + "\n").utf8)
            )
        default:
            return (.notFound, "text/plain", Array("try /metrics or /healthz\n".utf8))
        }
    }
}
