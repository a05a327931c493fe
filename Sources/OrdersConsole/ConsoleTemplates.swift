import Foundation
import Mustache

/// The console's pages: Mustache templates (`templates/*.html.mustache`) inside `layout.html`, and
/// its style sheet. Shipped beside the executable in a build, as /usr/share/orderflow/console in the
/// Debian package. Every value is HTML-escaped as it is rendered: the content type is set here, not
/// in the files.
public struct ConsoleTemplates: Sendable {
    public static let pageNames = ["overview", "overdue", "rejects", "emails", "order", "login", "problem"]

    private let library: MustacheLibrary
    private let pages: [String: MustacheTemplate]
    let styleSheet: [UInt8]

    /// Reads and parses every page, the layout and `console.css` from `directory`; a missing or
    /// broken file is an error naming it.
    public init(directory: String) throws {
        func read(_ file: String) throws -> String {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw ConsoleTemplateError(file: path, problem: "is missing or not UTF-8") }
            return text
        }
        func parse(_ file: String) throws -> MustacheTemplate {
            do { return try MustacheTemplate(string: try read(file)) } catch let error as ConsoleTemplateError {
                throw error
            } catch {
                throw ConsoleTemplateError(file: file, problem: "does not parse: \(error)")
            }
        }
        var library = MustacheLibrary()
        library.register(try parse("layout.html.mustache"), named: "layout.html")
        var pages: [String: MustacheTemplate] = [:]
        for name in Self.pageNames { pages[name] = try parse("\(name).html.mustache") }
        self.library = library
        self.pages = pages
        styleSheet = Array(try read("console.css").utf8)
    }

    /// `page` inside the layout, with `context`'s values escaped. Each list `items` comes with a flag
    /// `hasItems`, for what wraps it (a table's head) to show only when there is something in it.
    func render(_ page: String, title: String, signedIn: Bool, context: [String: Any]) -> [UInt8] {
        var context = Self.withoutAbsentValues(context) as? [String: Any] ?? [:]
        for (key, value) in context {
            guard let list = value as? [Any], let first = key.first else { continue }
            context["has" + first.uppercased() + key.dropFirst()] = !list.isEmpty
        }
        context["content"] = pages[page]
        context["title"] = title
        context["signedIn"] = signedIn
        return Array(Self.layout.render(context, library: library).utf8)
    }

    /// `value` with every nil optional left out of its dictionaries and lists: Mustache would show an
    /// absent value as "nil" and open its section.
    static func withoutAbsentValues(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.flatMap { withoutAbsentValues($0.value) }
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(withoutAbsentValues) }
        if let list = value as? [Any] { return list.compactMap(withoutAbsentValues) }
        return value
    }

    // swiftlint:disable:next force_try
    private static let layout = try! MustacheTemplate(string: "{{% CONTENT_TYPE: HTML}}{{> layout.html}}")

    /// Beside the executable in a build tree (SwiftPM copies them into `orderflow_OrdersConsole.resources`),
    /// else `share/orderflow/console` next to its `bin` (the Debian package: /usr/share/orderflow/console).
    public static func shippedDirectory() -> String? {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let folder = executable.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("orderflow_OrdersConsole.resources/templates").path)
            candidates.append(folder.appendingPathComponent("../share/orderflow/console").standardized.path)
        }
        candidates.append("/usr/share/orderflow/console")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/layout.html.mustache") }
    }
}

public struct ConsoleTemplateError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String { "console template \(file) \(problem)" }
}
