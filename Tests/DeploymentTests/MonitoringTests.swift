import Foundation
import OrdersTestSupport
import Testing

/// The monitoring files in deploy/: the alert rules pass `promtool check rules` and their cases in
/// `promtool test rules`; the Grafana dashboard's queries are valid PromQL over the series the
/// README documents, and every documented series is on it.
@Suite("monitoring: alert rules and dashboard")
struct MonitoringTests {
    static let root = SystemdUnitTests.root
    static let rules = root.appendingPathComponent("deploy/prometheus/orderflow-rules.yml").path
    static let ruleCases = root.appendingPathComponent("deploy/prometheus/orderflow-rules.test.yml").path
    static let dashboard = root.appendingPathComponent("deploy/grafana/orderflow.json")

    @Test func alertRulesAreValid() throws {
        let result = try ChildProcess.run("/usr/bin/promtool", ["check", "rules", Self.rules])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS: 10 rules found"), "\(result.output)")
    }

    @Test func alertRulesPassTheirCases() throws {
        let result = try ChildProcess.run("/usr/bin/promtool", ["test", "rules", Self.ruleCases])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")
    }

    /// Every alert has a case in which it fires (promtool passes an alert that no case names).
    @Test func everyAlertHasAFiringCase() throws {
        let rules = try String(contentsOfFile: Self.rules, encoding: .utf8)
        let cases = try String(contentsOfFile: Self.ruleCases, encoding: .utf8)
        let alerts = rules.matches(of: try Regex(#"- alert: (\w+)"#)).compactMap { $0.output[1].substring }
        #expect(alerts.count == 10)
        for alert in alerts {
            let firing = try Regex("alertname: \(alert)\\n\\s+exp_alerts:\\n\\s+- exp_labels:")
            #expect(cases.contains(firing), "no case in which \(alert) fires")
        }
    }

    /// Series the rules and the dashboard may use: the README's table, the process series and
    /// PromQL's suffixes of a histogram.
    @Test func rulesAndDashboardUseOnlyDocumentedSeriesAndTheDashboardShowsThemAll() throws {
        let documented = try Self.documentedSeries()
        #expect(documented.contains("orderflow_ingest_consumer_active"))
        #expect(documented.contains("process_open_fds"))
        #expect(documented.contains("orderflow_build_info"))
        let expressions = try Self.dashboardExpressions()
        #expect(expressions.count >= 20)
        let rules = try String(contentsOfFile: Self.rules, encoding: .utf8)
        let used = Set(
            (expressions + [rules]).flatMap {
                $0.matches(of: try! Regex(#"\b(?:orderflow|process)_[a-z_]+"#)).map { String($0.output[0].substring!) }
            }.map { $0.replacing(try! Regex("_(bucket|sum|count)$"), with: "") })
        #expect(used.subtracting(documented).isEmpty, "not in the README: \(used.subtracting(documented).sorted())")
        #expect(documented.subtracting(used).isEmpty, "not on the dashboard: \(documented.subtracting(used).sorted())")
    }

    /// promtool parses each query of the dashboard as a recording rule, Grafana's variables replaced.
    @Test func dashboardQueriesAreValidPromQL() throws {
        let expressions = try Self.dashboardExpressions()
        var file = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, expression) in expressions.enumerated() {
            let concrete = expression.replacing("$__rate_interval", with: "5m").replacing("$instance", with: ".*")
            #expect(!concrete.contains("$"), "a variable left in \(concrete)")
            let quoted = concrete.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            file += "      - record: dashboard:query\(index)\n        expr: \"\(quoted)\"\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-dashboard-\(UUID()).yml")
        try file.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try ChildProcess.run("/usr/bin/promtool", ["check", "rules", path.path])
        #expect(result.status == 0, "\(result.output)\n\(file)")
        #expect(result.output.contains("SUCCESS: \(expressions.count) rules found"), "\(result.output)")
    }

    /// The series names in the first column of the README's table of series.
    static func documentedSeries() throws -> Set<String> {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `orderflow_") || $0.hasPrefix("| `process_") }
        return Set(
            rows.flatMap { row in
                row.split(separator: "|")[0].matches(of: try! Regex(#"`((?:orderflow|process)_[a-z_]+)"#)).map {
                    String($0.output[1].substring!)
                }
            })
    }

    static func dashboardExpressions() throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any]
        let panels = try #require(json?["panels"] as? [[String: Any]])
        return panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
        }
    }
}
