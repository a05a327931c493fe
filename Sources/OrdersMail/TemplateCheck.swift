import Foundation

/// The checks of `MailTemplates` beyond parsing: every file there, the legal footer in each
/// layout, and every tag naming a partial that exists and a variable that the event offers.
enum TemplateCheck {
    /// What every email's templates may use.
    static let common: Set<String> = [
        "name", "orderNumber", "orderDate", "merchant", "channelName", "shopURL", "subject", "language",
        "logoURL", "accentColor", "content", "imprint",
    ]

    /// What each kind of email offers besides.
    static func offered(_ kind: MailTemplates.Kind) -> Set<String> {
        switch kind {
        case .shipmentDispatched: common.union(["shippedAt", "carrier", "shipment"])
        case .orderDelayed: common.union(["shipBy"])
        case .voucherDelay, .voucherCancellation: common.union(["voucher"])
        case .voucherIncident: common.union(["voucher", "incidentMessage"])
        }
    }

    /// The names inside a section over an object or a list.
    static let members: [String: Set<String>] = [
        "voucher": ["code", "value", "minimum", "expiry"],
        "shipment": ["carrier", "trackingNumber", "trackingLink", "hasItems", "items"],
        "items": ["quantity", "title"],
    ]

    static let layouts = [("layout.text", "footer.text"), ("layout.html", "footer.html")]

    static func problems(in sources: [String: MailTemplates.Source]) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        func missing(_ name: String, _ why: String) {
            problems.append(TemplateProblem(file: name + MailTemplates.fileExtension, line: nil, problem: why))
        }
        for (layout, footer) in layouts {
            guard let source = sources[layout] else {
                missing(layout, "is missing: every email is rendered inside it")
                continue
            }
            if sources[footer] == nil { missing(footer, "is missing: it holds the legal company details") }
            if !tags(source.text).contains(where: { $0.sigil == ">" && $0.name == footer }) {
                problems.append(
                    TemplateProblem(
                        file: source.path, line: nil,
                        problem: "does not include the legal footer {{> \(footer)}}, which every email must carry"))
            }
        }
        // A partial starts over in HTML mode: a text template says it is text, and an HTML one may
        // never switch its escaping off.
        for source in sources.values.sorted(by: { $0.name < $1.name }) {
            let pragmas = tags(source.text).filter { $0.sigil == "%" }
            let declaresText = pragmas.contains {
                $0.name.replacingOccurrences(of: " ", with: "") == "CONTENT_TYPE:TEXT"
            }
            if source.name.hasSuffix(".text") || source.name.hasSuffix(".subject"), !declaresText {
                problems.append(
                    TemplateProblem(
                        file: source.path, line: 1,
                        problem:
                            "a text template must begin with {{% CONTENT_TYPE: TEXT}} (else values are HTML-escaped)"))
            }
            if source.name.hasSuffix(".html"),
                let pragma = pragmas.first(where: { $0.name.contains("CONTENT_TYPE") && !$0.name.hasSuffix("HTML") })
            {
                problems.append(
                    TemplateProblem(
                        file: source.path, line: pragma.line,
                        problem: "an HTML template must keep HTML escaping ({{% \(pragma.name)}} refused)"))
            }
        }
        var reported = Set<String>()
        for kind in MailTemplates.Kind.allCases {
            for language in MailLanguage.allCases {
                for part in MailTemplates.Part.allCases {
                    let name = MailTemplates.name(kind, language, part)
                    guard sources[name] != nil else {
                        missing(name, "is missing: each event has a subject, text and html template in each language")
                        continue
                    }
                    var found: [TemplateProblem] = []
                    check(name, offered: offered(kind), kind: kind, sources: sources, into: &found, including: [])
                    if part != .subject {
                        check(
                            "layout.\(part.rawValue)", offered: offered(kind), kind: kind, sources: sources,
                            into: &found, including: [])
                    }
                    for problem in found where reported.insert(problem.description).inserted {
                        problems.append(problem)
                    }
                }
            }
        }
        return problems
    }

    /// Walks one template's tags with the names visible at each point, and the partials it includes.
    private static func check(
        _ name: String, offered: Set<String>, kind: MailTemplates.Kind, sources: [String: MailTemplates.Source],
        into problems: inout [TemplateProblem], including: [String]
    ) {
        guard let source = sources[name] else { return }
        var scopes: [Set<String>] = [offered]
        for tag in tags(source.text) {
            func problem(_ text: String) {
                problems.append(TemplateProblem(file: source.path, line: tag.line, problem: text))
            }
            switch tag.sigil {
            case "!", "%", "=":
                continue
            case ">", "<":
                if sources[tag.name] == nil {
                    problem("unknown partial {{\(tag.sigil.map(String.init) ?? "") \(tag.name)}}")
                } else if !including.contains(tag.name) && tag.name != name {
                    check(
                        tag.name, offered: scopes.reduce([], { $0.union($1) }), kind: kind, sources: sources,
                        into: &problems, including: including + [name])
                }
            case "/":
                if scopes.count > 1 { scopes.removeLast() }
            default:
                if !resolves(tag.name, in: scopes) {
                    problem("unknown variable {{\(tag.name)}}: \(kind.rawValue) emails do not offer it")
                }
                if tag.sigil == "#" || tag.sigil == "^" || tag.sigil == "$" {
                    let last = tag.name.split(separator: ".").last.map(String.init) ?? tag.name
                    scopes.append(members[last] ?? [])
                }
            }
        }
    }

    private static func resolves(_ name: String, in scopes: [Set<String>]) -> Bool {
        if name == "." { return true }
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first, scopes.contains(where: { $0.contains(first) }) else { return false }
        var current = first
        for part in parts.dropFirst() {
            guard members[current]?.contains(part) == true else { return false }
            current = part
        }
        return true
    }

    struct Tag {
        let sigil: Character?
        let name: String
        let line: Int
    }

    /// The tags of a template with their line numbers (default delimiters only).
    static func tags(_ text: String) -> [Tag] {
        var tags: [Tag] = []
        var line = 1
        var index = text.startIndex
        while let open = text[index...].range(of: "{{") {
            line += text[index..<open.lowerBound].count { $0 == "\n" }
            let triple = text[open.upperBound...].hasPrefix("{")
            let closing = triple ? "}}}" : "}}"
            let start = triple ? text.index(after: open.upperBound) : open.upperBound
            guard let close = text[start...].range(of: closing) else { break }
            var body = Substring(text[start..<close.lowerBound])
            var sigil: Character? = triple ? "&" : nil
            if !triple, let first = body.first, "#^/>!&%=<$".contains(first) {
                sigil = first
                body = body.dropFirst()
            }
            tags.append(Tag(sigil: sigil, name: body.trimmingCharacters(in: .whitespacesAndNewlines), line: line))
            line += text[open.lowerBound..<close.upperBound].count { $0 == "\n" }
            index = close.upperBound
        }
        return tags
    }
}
