import Foundation
import OrdersTestSupport
import Testing

/// deploy/demo.sh runs under `set -euo pipefail`: a pipe into a reader that stops early (head) kills
/// the writer with SIGPIPE and, through pipefail, the demo. Its long outputs go to a file first and
/// `first_lines` shows their start.
@Suite("demo script")
struct DemoScriptTests {
    static let demo = SystemdUnitTests.root.appendingPathComponent("deploy/demo.sh").path

    @Test func noPipeIntoHeadUnderPipefail() throws {
        let script = try String(contentsOfFile: Self.demo, encoding: .utf8)
        #expect(script.contains("set -euo pipefail"))
        #expect(!script.contains(try Regex(#"\|\s*head\b"#)), "a pipe into head in deploy/demo.sh")
    }

    /// The incident step's shape with far more lines than it shows: 20,000 voucher lines among info lines.
    @Test func firstLinesShowsTwelveAndCountsTheRestUnderPipefail() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-demo-\(UUID()).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let lines = (1...20_000).flatMap { ["2026-12-04T10:00:00Z info vouchers: issued \($0)", "voucher V\($0)"] }
        try (lines.joined(separator: "\n") + "\n").write(to: output, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(
            "/bin/bash",
            [
                "-c",
                #"set -euo pipefail; source <(sed -n '/^first_lines()/,/^}/p' "$0"); first_lines 12 "$1"; echo end"#,
                Self.demo, output.path,
            ])
        #expect(result.status == 0, "\(result.output)")
        let expected = (1...12).map { "voucher V\($0)" } + ["... and 19988 more", "end"]
        #expect(result.output.split(separator: "\n").map(String.init) == expected, "\(result.output)")
    }
}
