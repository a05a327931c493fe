import Foundation
import OrdersTestSupport
import Testing

/// `render --all` opened in headless Chromium (Debian's `chromium`) at 375 and 1024 px: no
/// horizontal scrolling on a phone, a logo with alt text, only https links, no template tag left.
/// The screenshots stay in .build/test-output/mail-previews (or ORDERFLOW_TEST_OUTPUT_DIR).
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct PreviewBrowserTests {
    struct Page: Decodable {
        let file: String
        let width: Int
        let scrollWidth: Int
        let clientWidth: Int
        let images: [String?]
        let links: [String]
        let templateTags: Bool
        let screenshot: String
    }

    @Test func everyPreviewReadsWellOnAPhoneAndADesktop() async throws {
        let output =
            ProcessInfo.processInfo.environment["ORDERFLOW_TEST_OUTPUT_DIR"].map { URL(fileURLWithPath: $0) }
            ?? LocalStack.checkout.appendingPathComponent(".build/test-output")
        let folder = output.appendingPathComponent("mail-previews")
        try? FileManager.default.removeItem(at: folder)
        let render = try await ChildProcess.run(
            OrderflowProcess.binary,
            [
                "render", "--all", "--out", folder.path, "--mail-logo-url", "https://teehaus-vogel.example/logo.png",
                "--merchant-name", "Teehaus Vogel", "--merchant-shop-url", "https://teehaus-vogel.example",
                "--merchant-legal-name", "Teehaus Vogel GmbH", "--merchant-address", "Hauptstraße 1, 80331 München",
                "--merchant-register", "Amtsgericht München, HRB 123456", "--merchant-directors", "Lena Vogel",
            ])
        #expect(render.status == 0, "\(render.output)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".html") && $0 != "index.html"
        }.sorted()
        #expect(pages.count == 25)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("voucher-delay.it.eml").path))

        let result = try await ChildProcess.run(
            "/usr/bin/python3",
            ["-c", HeadlessChromium.prelude + Self.driver, HeadlessChromium.binary, folder.path] + pages)
        #expect(result.status == 0, "\(result.output)")
        let measured = try JSONDecoder().decode(
            [Page].self, from: Data((result.output.split(separator: "\n").last ?? "[]").utf8))
        #expect(measured.count == pages.count * 2)
        for page in measured {
            let what = "\(page.file) at \(page.width) px"
            if page.width == 375 {
                #expect(page.scrollWidth <= page.clientWidth, "\(what) scrolls sideways: \(page.scrollWidth) px")
            }
            #expect(!page.images.isEmpty, "\(what) has no logo")
            for alt in page.images { #expect(alt?.isEmpty == false, "\(what): an image without alt text") }
            for link in page.links { #expect(link.hasPrefix("https://"), "\(what): link \(link)") }
            #expect(!page.templateTags, "\(what) still shows {{")
            #expect(FileManager.default.fileExists(atPath: page.screenshot), "\(what): no screenshot")
        }
    }

    /// After `HeadlessChromium.prelude`: each page at both widths, measured and photographed.
    static let driver = #"""
        folder, pages = args[0], args[1:]
        measure = ("JSON.stringify({sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,"
                   " images: Array.from(document.images).map(i => i.getAttribute('alt')),"
                   " links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),"
                   " tags: document.body.innerText.includes('{{'), ready: document.readyState})")
        results = []
        for width in (375, 1024):
            call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600}, session)
            for page in pages:
                call("Page.navigate", {"url": "file://" + os.path.join(folder, page)}, session)
                state = None
                for _ in range(400):
                    value = call("Runtime.evaluate", {"expression": measure, "returnByValue": True},
                                 session)["result"].get("value")
                    if value and json.loads(value)["ready"] == "complete":
                        state = json.loads(value)
                        break
                    time.sleep(0.05)
                if state is None: raise SystemExit(page + " did not load")
                height = call("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]
                shot = call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session)
                path = os.path.join(folder, "%s.%d.png" % (page[:-5], width))
                with open(path, "wb") as f: f.write(base64.b64decode(shot["data"]))
                results.append({"file": page, "width": width, "scrollWidth": state["sw"], "clientWidth": state["cw"],
                                "images": state["images"], "links": state["links"], "templateTags": state["tags"],
                                "screenshot": path})
        close_browser()
        print(json.dumps(results))
        """#
}
