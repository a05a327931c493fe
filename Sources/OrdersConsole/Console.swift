public import AMQP
import Foundation
import LibPQ
public import MetricsEndpoint
import OrdersOperations
import OrdersStore
import Resilience

/// The read-only web console at `/console` on the metrics address (ORDERFLOW_CONSOLE_TOKEN): an
/// overview (queues, outbox, rejects, emails), overdue orders, rejects, recent emails and each
/// order's trail. Server-rendered HTML without scripts; GET only but for signing in and out.
///
/// It reads on a PostgreSQL connection of its own, on a thread of its own (never the event loop),
/// in read-only transactions whatever the role, and asks the broker with passive declares as
/// `orderflow status` does.
public final class Console: MountedPages {
    public struct Configuration: Sendable {
        public var token: String
        public var amqp: AMQPNodes
        public var databaseURL: String
        /// An order without a ship-by is overdue this long after it was placed (ORDERFLOW_HANDLING_HOURS).
        public var handlingHours: Int
        /// The queues the overview asks the broker about: the topology's, and this process's own.
        public var queues = StatusCollector.defaultQueues
        /// Rows per list page.
        public var limit = 100

        public init(token: String, amqp: AMQPNodes, databaseURL: String, handlingHours: Int) {
            self.token = token
            self.amqp = amqp
            self.databaseURL = databaseURL
            self.handlingHours = handlingHours
        }
    }

    public let prefix = "/console"
    public let maximumBodyBytes = 4096

    /// No script, no frame, no outside source: the pages need their own style sheet and forms only.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    private let access: ConsoleAccess
    private let templates: ConsoleTemplates
    private let pages: ConsolePages

    public init(_ configuration: Configuration, templates: ConsoleTemplates) {
        access = ConsoleAccess(token: configuration.token)
        self.templates = templates
        let databaseURL = configuration.databaseURL
        // A broker that does not answer must not hold the page for long.
        let amqp = AMQPNodes(
            configuration.amqp.all.map { node in
                var quick = node
                quick.connectTimeoutSeconds = min(node.connectTimeoutSeconds, 3)
                return quick
            })
        pages = ConsolePages(
            database: ConfinedExecutor(
                label: "db.orderflow-console",
                open: { try PostgresConnection(url: databaseURL, applicationName: "orderflow-console") },
                close: { connection, _ in connection.close() }),
            // No handle kept: each look opens a connection, as `status` does; the executor keeps
            // librabbitmq's blocking calls on a thread of their own.
            broker: ConfinedExecutor(label: "amqp.orderflow-console", open: { amqp }, close: { _, _ in }),
            queues: configuration.queues, handlingHours: configuration.handlingHours, limit: configuration.limit)
    }

    public func respond(to request: PageRequest, health: MetricsServer.Health) async -> PageResponse {
        let path =
            request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        let isForm = path == "/console/login" || path == "/console/logout"
        guard ["GET", "HEAD"].contains(request.method) || (request.method == "POST" && isForm) else {
            return PageResponse(
                status: 405, headers: [("Allow", isForm ? "GET, HEAD, POST" : "GET, HEAD")] + Self.securityHeaders,
                body: Array("the console is read-only\n".utf8))
        }
        switch (request.method, path) {
        case (_, "/console/console.css"):
            return PageResponse(
                status: 200, headers: [("Content-Type", "text/css; charset=utf-8")] + Self.securityHeaders,
                body: templates.styleSheet)
        case ("POST", "/console/login"):
            let token = Self.formValue("token", in: request.body) ?? ""
            guard access.isToken(token) else {
                return loginPage(status: 401, message: "That token is not the console's.")
            }
            let secure = request.headers["x-forwarded-proto"] == "https" ? "; Secure" : ""
            let session = access.openSession()
            let cookie =
                "\(ConsoleAccess.cookieName)=\(session); Path=/console; HttpOnly; SameSite=Strict; "
                + "Max-Age=\(ConsoleAccess.sessionLifetime.components.seconds)\(secure)"
            return PageResponse(
                status: 303, headers: [("Location", "/console"), ("Set-Cookie", cookie)] + Self.securityHeaders,
                body: [])
        case ("POST", "/console/logout"):
            access.closeSession(headers: request.headers)
            let cookie = "\(ConsoleAccess.cookieName)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
            return PageResponse(
                status: 303, headers: [("Location", "/console/login"), ("Set-Cookie", cookie)] + Self.securityHeaders,
                body: [])
        case (_, "/console/login"):
            return loginPage(status: 200, message: nil)
        default:
            guard access.allows(headers: request.headers) else {
                return loginPage(status: 401, message: "Sign in with the console's token to see this page.")
            }
            return await signedIn(path: path, health: health)
        }
    }

    private func signedIn(path: String, health: MetricsServer.Health) async -> PageResponse {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let page: ConsolePages.Page?
        switch segments.dropFirst().first {
        case nil: page = await pages.overview(health: health)
        case "overdue" where segments.count == 2: page = await pages.overdue()
        case "rejects" where segments.count == 2: page = await pages.rejects()
        case "emails" where segments.count == 2: page = await pages.emails()
        case "orders" where segments.count == 4:
            guard let channel = segments[2].removingPercentEncoding,
                let externalID = segments[3].removingPercentEncoding
            else { page = nil; break }
            page = await pages.order(channel: channel, externalID: externalID)
        default: page = nil
        }
        let shown =
            page
            ?? ConsolePages.Page(
                status: 404, template: "problem", title: "Not found",
                context: ["problem": "There is no such page or order.", "path": path])
        return html(shown.status, shown.template, title: shown.title, signedIn: true, context: shown.context)
    }

    private func loginPage(status: Int, message: String?) -> PageResponse {
        var response = html(
            status, "login", title: "Sign in", signedIn: false, context: message.map { ["message": $0] } ?? [:])
        if status == 401 { response.headers.append(("WWW-Authenticate", #"Bearer realm="orderflow console""#)) }
        return response
    }

    private func html(
        _ status: Int, _ template: String, title: String, signedIn: Bool, context: [String: Any]
    )
        -> PageResponse
    {
        PageResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + Self.securityHeaders,
            body: templates.render(template, title: title, signedIn: signedIn, context: context))
    }

    static let securityHeaders = [
        ("Content-Security-Policy", contentSecurityPolicy), ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
    ]

    /// One field of an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in body: [UInt8]) -> String? {
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
