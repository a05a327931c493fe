import AMQP
import Foundation
import LibPQ
import MetricsEndpoint
import OrdersDomain
import OrdersOperations
import OrdersStore
import Resilience

/// What each console page shows, read through the stores `orderflow status`, `orders show`,
/// `rejects list` and `emails list` use, and turned into the templates' plain values (text only:
/// the templates escape it).
struct ConsolePages: Sendable {
    struct Page {
        var status = 200
        var template: String
        var title: String
        var context: [String: Any]
    }

    let database: ConfinedExecutor<PostgresConnection>
    let broker: ConfinedExecutor<AMQPNodes>
    let queues: [String]
    let handlingHours: Int
    let limit: Int

    /// Runs `body` in a read-only transaction that sees one snapshot (a page's queries agree with each
    /// other) and gives up after 10 s. Set per transaction, not per session: libpq's reconnect after an
    /// outage starts a fresh session, which would have forgotten session settings.
    static func readOnly<T>(on connection: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws -> T {
        try connection.transaction { connection in
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try connection.execute("SET LOCAL statement_timeout = '10s'")
            return try body(connection)
        }
    }

    private func read<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async -> Result<
        T, any Error
    > {
        do { return .success(try await database.run { try Self.readOnly(on: $0, body) }) } catch {
            return .failure(error)
        }
    }

    private func problem(_ error: any Error) -> Page {
        Page(
            status: 503, template: "problem", title: "Database unavailable",
            context: ["problem": "The database could not be read: \(error)"])
    }

    // MARK: pages

    func overview(health: MetricsServer.Health) async -> Page {
        let names = queues
        async let queues: Result<[StatusReport.Queue], any Error> = {
            do { return .success(try await broker.run { try StatusCollector(queues: names).queueStates($0).1 }) } catch
            {
                return .failure(error)
            }
        }()
        let summary = await read { try OperationsSummary.read(on: $0) }
        var report = StatusReport(broker: "", database: "")
        switch await queues {
        case .success(let states): report.queues = states
        case .failure(let error): report.brokerError = "\(error)"
        }
        var context: [String: Any] = ["process": health.detail, "healthy": health.healthy]
        switch summary {
        case .success(let summary):
            (report.outbox, report.rejects, report.emails) = (summary.outbox, summary.rejects, summary.emails)
            report.ordersWithLinesNotAddingUp = summary.ordersWithLinesNotAddingUp
            context["outbox"] = [
                "unpublished": summary.outbox.unpublished,
                "oldestAge": summary.outbox.oldestAgeSeconds.map(StatusFormatter.age) ?? "none waiting",
                "lastError": summary.outbox.lastError.map(Self.oneLine) as Any,
            ]
            context["rejects"] = [
                "lastHour": summary.rejects.lastHour, "notReplayed": summary.rejects.notReplayed,
                "newestReason": summary.rejects.newestReason.map(Self.oneLine) as Any,
            ]
            context["emails"] = [
                "lastHour": summary.emails.lastHour, "sent": summary.emails.sent, "failed": summary.emails.failed,
                "sending": summary.emails.sending, "lastFailure": summary.emails.lastFailure.map(Self.oneLine) as Any,
            ]
            context["linesNotAddingUp"] = summary.ordersWithLinesNotAddingUp
        case .failure(let error):
            context["databaseError"] = "\(error)"
        }
        if let states = report.queues {
            context["queues"] = states.map { queue -> [String: Any] in
                [
                    "name": queue.name, "messages": queue.messages.map { String($0) } ?? "missing",
                    "consumers": queue.consumers.map { String($0) } ?? "-", "dead": queue.isDeadLetterQueue,
                ]
            }
        }
        context["brokerError"] = report.brokerError as Any
        context["alerts"] = StatusAlerts().alerts(for: report)
        return Page(template: "overview", title: "Overview", context: context)
    }

    func overdue() async -> Page {
        let hours = handlingHours, limit = self.limit
        switch await read({ try OrderTrailStore().overdue(handlingHours: hours, limit: limit, on: $0) }) {
        case .failure(let error): return problem(error)
        case .success(let orders):
            return Page(
                template: "overdue", title: "Overdue orders",
                context: ["orders": orders.map(Self.summary), "count": orders.count, "handlingHours": hours])
        }
    }

    func rejects() async -> Page {
        let limit = self.limit
        switch await read({ try RejectStore().list(on: $0, limit: limit, pendingOnly: false, sinceHours: nil) }) {
        case .failure(let error): return problem(error)
        case .success(let rejects):
            return Page(
                template: "rejects", title: "Rejects",
                context: ["rejects": rejects.map(Self.reject), "count": rejects.count])
        }
    }

    func emails() async -> Page {
        let limit = self.limit
        switch await read({ try EmailRecordStore().list(statuses: [], sinceHours: nil, limit: limit, on: $0) }) {
        case .failure(let error): return problem(error)
        case .success(let emails):
            return Page(
                template: "emails", title: "Recent emails",
                context: [
                    "emails": emails.map { email -> [String: Any] in
                        [
                            "claimedAt": email.claimedAt, "sentAt": email.sentAt as Any, "status": email.status,
                            "eventType": email.eventType, "recipient": email.recipient ?? "-",
                            "subject": email.subject ?? "-", "reply": email.reply.map(Self.oneLine) ?? "",
                            "order": email.externalID.map { _ in
                                [
                                    "channel": email.channel ?? "", "externalID": email.externalID ?? "",
                                    "href": Self.orderHref(email.channel ?? "", email.externalID ?? ""),
                                ]
                            } as Any,
                        ]
                    },
                    "count": emails.count,
                ])
        }
    }

    func order(channel: String, externalID: String) async -> Page? {
        switch await read({ try OrderTrailStore().find(channel: channel, externalID: externalID, on: $0) }) {
        case .failure(let error): return problem(error)
        case .success(nil): return nil
        case .success(let trail?):
            let order = trail.order
            let amount = { (minor: Int64) in OrderTrailFormatter.amount(minor, order.currency) }
            let context: [String: Any] = [
                "order": [
                    "channel": order.channel, "externalID": order.externalID, "number": order.number ?? "-",
                    "status": order.status, "cancelledBy": order.cancelledBy as Any, "currency": order.currency,
                    "items": amount(order.itemsTotalMinor), "shipping": amount(order.shippingMinor),
                    "discount": amount(order.discountMinor), "tax": amount(order.taxMinor),
                    "grand": amount(order.grandTotalMinor),
                    "linesDiscrepancy": order.linesDiscrepancyMinor.map(amount) as Any,
                    "customerName": order.customerName ?? "-", "customerEmail": order.customerEmail ?? "-",
                    "customerLocale": order.customerLocale ?? "-", "placedAt": order.placedAt,
                    "shipBy": order.shipBy ?? "-", "storedAt": order.storedAt,
                ] as [String: Any],
                "lines": trail.lines.map {
                    [
                        "lineNo": $0.lineNo, "sku": $0.sku ?? "-", "title": $0.title ?? "-", "quantity": $0.quantity,
                        "unitPrice": amount($0.unitPriceMinor), "total": amount($0.totalMinor),
                    ] as [String: Any]
                },
                "shipments": trail.shipments.map {
                    [
                        "shipmentID": $0.shipmentID, "carrier": $0.carrier ?? "-",
                        "trackingNumber": $0.trackingNumber ?? "-", "shippedAt": $0.shippedAt ?? "-",
                        "storedAt": $0.storedAt,
                    ]
                },
                "vouchers": trail.vouchers.map {
                    [
                        "code": $0.code, "reason": $0.reason,
                        "value": $0.percent.map { "\($0) %" }
                            ?? "\(OrderTrailFormatter.amount($0.amountMinor ?? 0, $0.currency)) \($0.currency)",
                        "expiresAt": $0.expiresAt, "issuedAt": $0.issuedAt,
                    ]
                },
                "events": trail.events.map {
                    [
                        "eventID": $0.eventID, "type": $0.type, "createdAt": $0.createdAt,
                        "publishedAt": $0.publishedAt ?? "not yet", "attempts": $0.attempts,
                        "lastError": $0.lastError.map(Self.oneLine) ?? "",
                    ] as [String: Any]
                },
                "emails": trail.emails.map {
                    [
                        "eventType": $0.eventType, "status": $0.status, "recipient": $0.recipient ?? "-",
                        "subject": $0.subject ?? "-", "claimedAt": $0.claimedAt, "sentAt": $0.sentAt ?? "-",
                        "reply": $0.reply.map(Self.oneLine) ?? "", "attempts": $0.attempts,
                    ] as [String: Any]
                },
                "rejects": trail.rejects.map(Self.reject),
                "timeline": OrderTrailFormatter.timeline(trail).map { ["at": $0.at, "what": $0.what] },
            ]
            return Page(template: "order", title: "Order \(order.channel) \(order.externalID)", context: context)
        }
    }

    // MARK: values

    static func summary(_ order: OrderSummary) -> [String: Any] {
        [
            "channel": order.channel, "externalID": order.externalID, "number": order.number ?? "-",
            "status": order.status, "placedAt": order.placedAt, "shipBy": order.shipBy ?? "-",
            "total": "\(OrderTrailFormatter.amount(order.grandTotalMinor, order.currency)) \(order.currency)",
            "customerName": order.customerName ?? "-", "customerEmail": order.customerEmail ?? "-",
            "href": orderHref(order.channel, order.externalID),
        ]
    }

    static func reject(_ reject: RejectRecord) -> [String: Any] {
        let body = String(decoding: reject.body.prefix(300), as: UTF8.self)
        return [
            "id": reject.id, "receivedAt": reject.receivedAt, "routingKey": reject.routingKey,
            "reason": oneLine(reject.reason), "field": reject.field ?? "-", "replayedAt": reject.replayedAt ?? "no",
            "body": oneLine(body) + (reject.body.count > 300 || reject.bodyTruncated ? " …" : ""),
        ]
    }

    /// `/console/orders/CHANNEL/EXTERNAL_ID`, each part percent-encoded (ids may hold `/`, `?` or `#`).
    static func orderHref(_ channel: String, _ externalID: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "/console/orders/\(encode(channel))/\(encode(externalID))"
    }

    /// Control characters shown as escapes, on one line, at most 300 characters.
    static func oneLine(_ text: String) -> String {
        let safe = Text.escapingControlCharacters(text)
        return safe.count > 300 ? String(safe.prefix(300)) + "…" : safe
    }
}
