import NIOCore
import NIOHTTP1
import Prometheus

/// Answers `GET /metrics` (Prometheus text format) and `GET /healthz` (200 when healthy, else 503);
/// anything else is 404, and methods other than GET and HEAD 405. One response per request,
/// keep-alive honoured.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let health: @Sendable () -> MetricsServer.Health
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry, health: @escaping @Sendable () -> MetricsServer.Health) {
        self.registry = registry
        self.health = health
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (status, contentType, body) = Self.response(
            method: head.method, path: head.uri, registry: registry, health: health)
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))])
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
