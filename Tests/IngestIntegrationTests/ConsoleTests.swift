import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import LibPQ
@testable import OrdersConsole
import OrdersTestSupport
import Testing

/// The web console (`/console` on the metrics address, ORDERFLOW_CONSOLE_TOKEN) of a real `orderflow
/// worker` that ingested the test's orders: over plain HTTP (statuses, headers, cookie flags) and in
/// headless Chromium (Debian's `chromium`), whose screenshots stay in .build/test-output/console (or
/// ORDERFLOW_TEST_OUTPUT_DIR).
@Suite("console", .serialized, .workerSlot, .timeLimit(.minutes(TestTime.minutes(5))))
struct ConsoleTests {
    static let token = "console-test-token-7f3c9a41d2"
    static let scriptName = "<script>alert(1)</script> Vogel"
    static let csp =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    /// T-1: the customer's name holds a script tag, ships by 2099; T-2: ship-by passed (overdue);
    /// T-3: shipped in one parcel, whose email the ledger records as sent; one body that is not JSON
    /// (a reject). Ingested by the worker that serves the console.
    static func startWorker(_ harness: IngestHarness) async throws -> (WorkerProcess, String) {
        let worker = try WorkerProcess(
            harness, extraArguments: ["--no-sweeper"],
            extraEnvironment: ["ORDERFLOW_METRICS_ADDR": "127.0.0.1:0", "ORDERFLOW_CONSOLE_TOKEN": token])
        let base = try await MetricsEndpointTests.endpoint(of: worker)
        let first = String(decoding: CanonicalSamples.order(1, shipBy: "2099-01-01T12:00:00Z"), as: UTF8.self)
            .replacingOccurrences(
                of: #""name": "Lena Vogel", "locale""#, with: #""name": "\#(scriptName)", "locale""#)
        try harness.publish([
            ("order.canonical", Array(first.utf8), "c-1"),
            ("order.canonical", CanonicalSamples.order(2, shipBy: "2026-11-04T14:00:00Z"), "c-2"),
            ("order.canonical", CanonicalSamples.order(3, shipBy: "2099-01-01T12:00:00Z"), "c-3"),
            ("order.canonical", Array("not json".utf8), "c-bad"),
        ])
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 3)
        try await harness.waitFor("SELECT count(*) FROM rejects", toBe: 1)
        try harness.publish([("shipment.canonical", CanonicalSamples.shipment(3), "c-s3")])
        try await harness.waitFor("SELECT count(*) FROM outbox WHERE type = 'shipment.dispatched'", toBe: 1)
        // What the notifier records when the shipping mail went out.
        _ = try harness.query(
            """
            INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, claimed_at, sent_at,
                                smtp_reply, message_id)
            SELECT event_id, 'shipment.dispatched', 'lena.vogel@example.de', 'Ihre Bestellung #3 ist unterwegs',
                   'sent', 1, now(), now(), '250 2.0.0 Ok: queued as 4F1', '<' || event_id || '@teehaus.example>'
            FROM outbox WHERE type = 'shipment.dispatched'
            """)
        try await waitUntil(timeout: .seconds(30)) {
            (try? await MetricsEndpointTests.get(base + "/healthz"))?.status == 200
        }
        return (worker, base)
    }

    @Test func refusesWithoutTheTokenAndSendsItsHeaders() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let (worker, base) = try await Self.startWorker(harness)

        let refused = try await HTTP.send(base + "/console")
        #expect(refused.status == 401)
        #expect(refused.headers["www-authenticate"] == #"Bearer realm="orderflow console""#)
        #expect(refused.headers["content-security-policy"] == Self.csp)
        #expect(refused.body.contains("Sign in"))
        for data in ["T-2", "orderflow.ingest", "lena.vogel", "Outbox", "Rejects"] {
            #expect(!refused.body.contains(data), "the refusal shows \(data)")
        }
        for path in ["/console/overdue", "/console/rejects", "/console/emails", "/console/orders/webshop/T-2"] {
            #expect(try await HTTP.send(base + path).status == 401, "\(path)")
            let wrong = try await HTTP.send(base + path, headers: ["Authorization": "Bearer \(Self.token)x"])
            #expect(wrong.status == 401, "\(path) with a wrong token")
            #expect(!wrong.body.contains("T-2"))
        }

        let overview = try await HTTP.send(base + "/console", headers: ["Authorization": "Bearer \(Self.token)"])
        #expect(overview.status == 200)
        #expect(overview.headers["content-type"] == "text/html; charset=utf-8")
        #expect(overview.headers["content-security-policy"] == Self.csp)
        #expect(overview.headers["x-content-type-options"] == "nosniff")
        #expect(overview.headers["x-frame-options"] == "DENY")
        #expect(overview.headers["cache-control"] == "no-store")
        #expect(overview.body.contains("consuming \(harness.queue)"))
        // The worker's own queue, asked of the broker: its one consumer is this worker.
        let row = try Regex(
            #"<tr>\s*<td>\#(harness.queue)</td>\s*<td class="number">0</td>\s*<td class="number">1</td>\s*</tr>"#)
        #expect(overview.body.contains(row), "\(overview.body)")
        #expect(overview.body.contains(#"<dd id="rejects-last-hour">1</dd>"#), "\(overview.body)")
        #expect(overview.body.contains(#"<dd id="emails-last-hour">1</dd>"#))
        #expect(!overview.body.contains("<script"))

        // Signing in: a wrong token gets no cookie; the right one a session cookie that is not the token.
        let wrongLogin = try await HTTP.send(
            base + "/console/login", method: "POST", form: "token=not-the-token")
        #expect(wrongLogin.status == 401)
        #expect(wrongLogin.headers["set-cookie"] == nil)
        let login = try await HTTP.send(
            base + "/console/login", method: "POST",
            form: "token=" + Self.token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(login.status == 303)
        #expect(login.headers["location"] == "/console")
        let cookie = try #require(login.headers["set-cookie"])
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age=28800"] {
            #expect(cookie.contains("; \(flag)"), "\(cookie)")
        }
        #expect(!cookie.contains(Self.token))
        let session = String(cookie.prefix { $0 != ";" })
        #expect(try await HTTP.send(base + "/console/overdue", headers: ["Cookie": session]).status == 200)
        #expect(
            try await HTTP.send(base + "/console/logout", method: "POST", headers: ["Cookie": session]).status == 303)
        #expect(try await HTTP.send(base + "/console/overdue", headers: ["Cookie": session]).status == 401)

        // Read-only: no other method, no form but signing in and out.
        let bearer = ["Authorization": "Bearer \(Self.token)"]
        #expect(try await HTTP.send(base + "/console", method: "DELETE", headers: bearer).status == 405)
        #expect(try await HTTP.send(base + "/console/rejects", method: "POST", headers: bearer).status == 405)
        #expect(try await HTTP.send(base + "/console/nothing", headers: bearer).status == 404)
        #expect(try await HTTP.send(base + "/console/orders/webshop/T-404", headers: bearer).status == 404)
        let huge = try await HTTP.send(
            base + "/console/login", method: "POST", form: "token=" + String(repeating: "a", count: 5000))
        #expect(huge.status == 413)
        let style = try await HTTP.send(base + "/console/console.css")
        #expect(style.status == 200)
        #expect(style.headers["content-type"] == "text/css; charset=utf-8")
        #expect(try await HTTP.send(base + "/metrics").status == 200)

        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(!worker.log.contains(Self.token), "the token reached the log")
        #expect(worker.log.contains("console listening"))
    }

    /// The console's queries run off the event loop: while one waits for a lock, /metrics and /healthz
    /// still answer; once the lock is gone, the page comes.
    @Test func aPageWaitingForTheDatabaseHoldsUpNoScrape() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let (worker, base) = try await Self.startWorker(harness)
        let locker = try PostgresConnection(url: harness.databaseURL)
        defer { locker.close() }
        try locker.executeScript("BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
        let page = Task {
            try await HTTP.send(base + "/console/overdue", headers: ["Authorization": "Bearer \(Self.token)"])
        }
        let waiting = """
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name = 'orderflow-console' AND wait_event_type = 'Lock'
            """
        try await harness.waitFor(waiting, toBe: 1)
        // A connection each: the server's event loops (one per core) take new connections in turn, so a
        // loop blocked by the page's query would leave one of these unanswered.
        for _ in 0...(2 * ProcessInfo.processInfo.activeProcessorCount) {
            #expect(try await HTTP.send(base + "/metrics").status == 200)
            #expect(try await HTTP.send(base + "/healthz").status == 200)
        }
        #expect(try harness.scalar(waiting) == 1, "the page stopped waiting before the lock was released")
        try locker.executeScript("COMMIT")
        let overdue = try await page.value
        #expect(overdue.status == 200)
        #expect(overdue.body.contains(#"<span id="count">1</span>"#), "\(overdue.body)")
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    /// Without a broker the overview still shows the database's side, and says what is missing.
    @Test func theOverviewWithoutABroker() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let worker = try WorkerProcess(
            harness,
            extraEnvironment: [
                "ORDERFLOW_METRICS_ADDR": "127.0.0.1:0", "ORDERFLOW_CONSOLE_TOKEN": Self.token,
                "ORDERFLOW_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F",
            ])
        let base = try await MetricsEndpointTests.endpoint(of: worker)
        let overview = try await HTTP.send(base + "/console", headers: ["Authorization": "Bearer \(Self.token)"])
        #expect(overview.status == 200)
        #expect(overview.body.contains("not consuming: waiting for the broker"))
        #expect(overview.body.contains("The broker could not be asked:"), "\(overview.body)")
        #expect(!overview.body.contains("<th>Queue</th>"))
        #expect(overview.body.contains(#"<dd id="outbox-unpublished">0</dd>"#))
        #expect(overview.body.contains(#"<dd id="rejects-last-hour">0</dd>"#))
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    /// The console's reads refuse to write, whatever the role may do.
    @Test func theConsolesReadsCannotWrite() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let connection = try PostgresConnection(url: harness.databaseURL)
        defer { connection.close() }
        let count = try ConsolePages.readOnly(on: connection) { try $0.execute("SELECT count(*) AS n FROM orders") }
        #expect(count.int64(0, "n") == 0)
        do {
            _ = try ConsolePages.readOnly(on: connection) { try $0.execute("DELETE FROM orders") }
            Issue.record("a console read deleted rows")
        } catch let error as PostgresError {
            #expect(error.sqlState == "25006", "\(error)")  // read_only_sql_transaction
        }
        // The connection is usable afterwards: the failed transaction was rolled back.
        #expect(try connection.execute("SELECT 1 AS one").int64(0, "one") == 1)
    }

    /// A token that could be guessed stops the worker before it serves anything (exit 78), naming the
    /// setting, not the value.
    @Test func aShortTokenIsASettingsError() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let worker = try WorkerProcess(
            harness,
            extraEnvironment: ["ORDERFLOW_METRICS_ADDR": "127.0.0.1:0", "ORDERFLOW_CONSOLE_TOKEN": "tooShort15chars"])
        #expect(try await worker.waitForExit() == 78)
        #expect(
            worker.log.contains("ORDERFLOW_CONSOLE_TOKEN (environment ORDERFLOW_CONSOLE_TOKEN) must be at least 16"),
            "\(worker.log)")
        #expect(!worker.log.contains("tooShort15chars"))
    }

    @Test func chromiumShowsThePagesWithTheWorkersData() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let (worker, base) = try await Self.startWorker(harness)
        let output =
            ProcessInfo.processInfo.environment["ORDERFLOW_TEST_OUTPUT_DIR"].map { URL(fileURLWithPath: $0) }
            ?? LocalStack.checkout.appendingPathComponent(".build/test-output")
        let folder = output.appendingPathComponent("console")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        let result = try await ChildProcess.run(
            "/usr/bin/python3",
            ["-c", HeadlessChromium.prelude + Self.driver, HeadlessChromium.binary, base, Self.token, folder.path])
        #expect(result.status == 0, "\(result.output)")
        let pages = try JSONDecoder().decode(
            [String: Page].self, from: Data((result.output.split(separator: "\n").last ?? "{}").utf8))
        #expect(pages.keys.sorted() == ["emails", "order", "overdue", "overview", "refused", "rejects"])

        let refused = try #require(pages["refused"])
        #expect(refused.status == 401)
        #expect(refused.text.contains("Sign in with the console's token"))
        for data in ["T-1", "T-2", "orderflow.ingest", "lena.vogel", "Vogel"] {
            #expect(!refused.text.contains(data), "the refused page shows \(data)")
        }

        let overview = try #require(pages["overview"])
        #expect(overview.status == 200)
        #expect(overview.cookie == "", "the session cookie is readable from the page")
        #expect(overview.text.contains("consuming \(harness.queue)"))
        for queue in ["orderflow.ingest", "orderflow.ingest.dead", "orderflow.notifier", "orderflow.notifier.dead"] {
            #expect(overview.text.contains(queue), "\(queue) missing from the overview")
        }
        #expect(overview.values["rejects-last-hour"] == "1")
        #expect(overview.values["emails-last-hour"] == "1")
        #expect(overview.values["outbox-unpublished"] != nil)

        let overdue = try #require(pages["overdue"])
        #expect(overdue.values["count"] == "1")
        #expect(overdue.links == ["/console/orders/webshop/T-2"], "\(overdue.links)")
        #expect(overdue.text.contains("2026-11-04T14:00:00Z"))

        let rejects = try #require(pages["rejects"])
        #expect(rejects.values["count"] == "1")
        #expect(rejects.text.contains("order.canonical"))
        #expect(rejects.text.contains("not json"))

        let emails = try #require(pages["emails"])
        #expect(emails.values["count"] == "1")
        #expect(emails.text.contains("Ihre Bestellung #3 ist unterwegs"))
        #expect(emails.text.contains("250 2.0.0 Ok: queued as 4F1"))
        #expect(emails.links == ["/console/orders/webshop/T-3"], "\(emails.links)")

        // The order whose customer is called "<script>…": shown as text, run as nothing.
        let order = try #require(pages["order"])
        #expect(order.status == 200)
        #expect(order.values["external-id"] == "T-1")
        #expect(order.values["customer"] == "\(Self.scriptName) <lena.vogel@example.de> (de)")
        #expect(order.scripts == 0)
        #expect(order.alerts == 0)
        #expect(order.text.contains("Teekanne Größe 2"))

        for (name, page) in pages {
            #expect(FileManager.default.fileExists(atPath: page.screenshot), "\(name): no screenshot")
            #expect(page.scripts == 0, "\(name) holds a script element")
        }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    struct Page: Decodable {
        let status: Int
        let text: String
        let links: [String]
        /// The text of the elements with an id, by id.
        let values: [String: String]
        let scripts: Int
        let alerts: Int
        let cookie: String
        let screenshot: String
    }

    /// After `HeadlessChromium.prelude`: the console refused, then signed in through its form, each page
    /// read and photographed. The document's HTTP status comes from the Network domain's events.
    static let driver = #"""
        base, token, folder = args[0:3]
        def statuses():
            return [e["params"]["response"]["status"] for e in events
                    if e["method"] == "Network.responseReceived" and e["params"]["type"] == "Document"]
        def dialogs():
            return [e for e in events if e["method"] == "Page.javascriptDialogOpening"]
        call("Network.enable", session=session)
        call("Emulation.setDeviceMetricsOverride",
             {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}, session)
        measure = ("JSON.stringify({text: document.body ? document.body.innerText : '', href: location.pathname,"
                   " links: Array.from(document.querySelectorAll('main table a[href]'))"
                   "   .map(a => a.getAttribute('href')),"
                   " values: Object.fromEntries(Array.from(document.querySelectorAll('[id]'))"
                   "   .filter(e => e.tagName != 'INPUT').map(e => [e.id, e.innerText])),"
                   " scripts: document.querySelectorAll('script').length, cookie: document.cookie,"
                   " ready: document.readyState})")
        def settle(path):
            for _ in range(400):
                value = call("Runtime.evaluate", {"expression": measure, "returnByValue": True},
                             session)["result"].get("value")
                if value:
                    state = json.loads(value)
                    if state["ready"] == "complete" and state["href"] == path: return state
                time.sleep(0.05)
            raise SystemExit(path + " did not load")
        results = {}
        def record(name, path):
            state = settle(path)
            time.sleep(0.2)
            state = settle(path)
            height = call("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]
            shot = call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": 1280, "height": max(height, 200), "scale": 1}}, session)
            screenshot = os.path.join(folder, name + ".png")
            with open(screenshot, "wb") as f: f.write(base64.b64decode(shot["data"]))
            results[name] = {"status": (statuses() or [0])[-1], "text": state["text"], "links": state["links"],
                             "values": state["values"], "scripts": state["scripts"], "alerts": len(dialogs()),
                             "cookie": state["cookie"], "screenshot": screenshot}
        def visit(name, path):
            call("Page.navigate", {"url": base + path}, session)
            record(name, path)
        visit("refused", "/console")
        # Sign in as an operator does: the token typed into the form, the form sent.
        call("Runtime.evaluate", {"expression": "document.getElementById('token').value = " + json.dumps(token)
                                  + "; document.querySelector('form.login').submit()"}, session)
        record("overview", "/console")
        visit("overdue", "/console/overdue")
        visit("rejects", "/console/rejects")
        visit("emails", "/console/emails")
        visit("order", "/console/orders/webshop/T-1")
        close_browser()
        print(json.dumps(results))
        """#
}

/// Plain HTTP requests that do not follow redirects, with every response header (names in lower case).
enum HTTP {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) { completionHandler(nil) }
    }

    static func send(
        _ url: String, method: String = "GET", headers: [String: String] = [:], form: String? = nil
    ) async throws -> Response {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Response(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }
}
