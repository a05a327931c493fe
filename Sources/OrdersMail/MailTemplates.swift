import Foundation
import Mustache

/// The customer emails' Mustache templates: the files shipped with orderflow (`templates/`), each
/// replaced by the file of the same name in an operator's override directory. Checked whole when
/// loaded, so a broken template stops the process that loads it, never a mail: a parse error, an
/// unknown partial, a variable the event does not offer, a missing file, or a layout without the
/// legal footer is refused with the file, the line and the problem.
///
/// One file per event kind, language and part (`voucher-delay.de.html.mustache`), partials per
/// language (the voucher's and the parcel's facts, the sign-off), and the shared layouts and
/// footers (`layout.html`, `footer.html`, and their text twins).
public struct MailTemplates: Sendable {
    /// The email an event gets: its kind of event (and voucher reason).
    public enum Kind: String, Sendable, CaseIterable {
        case shipmentDispatched = "shipment-dispatched"
        case orderDelayed = "order-delayed"
        case voucherDelay = "voucher-delay"
        case voucherCancellation = "voucher-cancellation"
        case voucherIncident = "voucher-incident"
    }

    public enum Part: String, Sendable, CaseIterable {
        case subject, text, html
    }

    /// One template file as read.
    public struct Source: Sendable {
        public let name: String
        public let path: String
        public let text: String

        public init(name: String, path: String, text: String) {
            self.name = name
            self.path = path
            self.text = text
        }
    }

    public static let fileExtension = ".mustache"

    private let library: MustacheLibrary
    private let templates: [String: MustacheTemplate]
    /// Where each template came from, for operators ("shipped" or the override's path).
    public let paths: [String: String]

    /// Parses and checks the sources (shipped and overrides already merged by name).
    public init(sources: [Source]) throws(TemplateError) {
        var templates: [String: MustacheTemplate] = [:]
        var errors: [TemplateProblem] = []
        let byName = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { _, override in override })
        for source in byName.values.sorted(by: { $0.name < $1.name }) {
            do {
                templates[source.name] = try MustacheTemplate(string: source.text)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(
                    TemplateProblem(
                        file: source.path, line: error.context.lineNumber,
                        problem: "does not parse: \(error.error) near \"\(error.context.line)\""))
            } catch {
                errors.append(TemplateProblem(file: source.path, line: nil, problem: "does not parse: \(error)"))
            }
        }
        errors += TemplateCheck.problems(in: byName)
        guard errors.isEmpty else { throw TemplateError(problems: errors) }
        self.templates = templates
        self.paths = byName.mapValues(\.path)
        var library = MustacheLibrary()
        for (name, template) in templates { library.register(template, named: name) }
        self.library = library
    }

    /// The shipped templates, each replaced by a file of the same name in `overrides` (when given).
    public static func load(shipped: String, overrides: String? = nil) throws(TemplateError) -> MailTemplates {
        var sources = try files(in: shipped)
        if let overrides {
            let known = Set(sources.map(\.name))
            let replacements = try files(in: overrides)
            let unknown = replacements.filter { !known.contains($0.name) }.map {
                TemplateProblem(
                    file: $0.path, line: nil,
                    problem: "is not the name of a shipped template (\(shipped) lists them); nothing would use it")
            }
            guard unknown.isEmpty else { throw TemplateError(problems: unknown) }
            sources += replacements
        }
        return try MailTemplates(sources: sources)
    }

    /// Every `*.mustache` file directly in `directory`, named without the extension.
    public static func files(in directory: String) throws(TemplateError) -> [Source] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw TemplateError(
                problems: [TemplateProblem(file: directory, line: nil, problem: "cannot be read as a directory")])
        }
        var sources: [Source] = []
        for file in names.sorted() where file.hasSuffix(fileExtension) {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw TemplateError(problems: [TemplateProblem(file: path, line: nil, problem: "is not readable UTF-8")]
                )
            }
            sources.append(Source(name: String(file.dropLast(fileExtension.count)), path: path, text: text))
        }
        return sources
    }

    /// Where the shipped templates are: beside the executable in a build tree (SwiftPM copies them
    /// into `orderflow_OrdersMail.resources`), else `share/orderflow/templates` next to its `bin`
    /// (the Debian package: /usr/share/orderflow/templates).
    public static func shippedDirectory() -> String? {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let folder = executable.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("orderflow_OrdersMail.resources/templates").path)
            candidates.append(folder.appendingPathComponent("../share/orderflow/templates").standardized.path)
        }
        candidates.append("/usr/share/orderflow/templates")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/layout.html" + fileExtension) }
    }

    /// The shipped templates without overrides: what the composer uses unless given others.
    public static let shipped: MailTemplates = {
        guard let directory = shippedDirectory() else {
            fatalError("the shipped email templates are missing (looked beside the executable and in /usr/share)")
        }
        do { return try load(shipped: directory) } catch { fatalError("the shipped email templates: \(error)") }
    }()

    // MARK: Rendering

    static func name(_ kind: Kind, _ language: MailLanguage, _ part: Part) -> String {
        "\(kind.rawValue).\(language.rawValue).\(part.rawValue)"
    }

    /// The subject, as plain text.
    func subject(_ kind: Kind, _ language: MailLanguage, context: [String: Any]) -> String {
        var context = context
        context["content"] = templates[Self.name(kind, language, .subject)]
        return Self.textFrame.render(context, library: library)
    }

    /// The text part: the event's text template inside `layout.text`, values as they are.
    func text(_ kind: Kind, _ language: MailLanguage, context: [String: Any]) -> String {
        var context = context
        context["content"] = templates[Self.name(kind, language, .text)]
        return Self.textLayout.render(context, library: library)
    }

    /// The HTML part: the event's HTML template inside `layout.html`, every value escaped once.
    func html(_ kind: Kind, _ language: MailLanguage, context: [String: Any]) -> HTML {
        var context = context
        context["content"] = templates[Self.name(kind, language, .html)]
        return HTML(renderedMarkup: Self.htmlLayout.render(context, library: library))
    }

    // The content type is set here, not in the files, so an override cannot change how values are escaped.
    // swiftlint:disable force_try
    private static let textFrame = try! MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}{{content}}")
    private static let textLayout = try! MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}{{> layout.text}}")
    private static let htmlLayout = try! MustacheTemplate(string: "{{% CONTENT_TYPE: HTML}}{{> layout.html}}")
    // swiftlint:enable force_try
}

/// One problem with one template file.
public struct TemplateProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let problem: String

    public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
}

/// Why the templates cannot be used: every problem found, one per line.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let problems: [TemplateProblem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
