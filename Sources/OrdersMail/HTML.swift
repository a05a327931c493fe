/// Markup for the HTML part, as opposed to plain text (`String`). Text becomes HTML in exactly one
/// place: escaped by `init(escaping:)` or by the HTML layout's `{{ }}` while it renders. Nothing
/// turns HTML back into text to be escaped again, so a value cannot be escaped twice.
public struct HTML: Sendable, Equatable, CustomStringConvertible {
    public let markup: String

    /// Plain text as HTML: `&`, `<`, `>` and both quotes become entities.
    public init(escaping text: String) {
        var markup = ""
        markup.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": markup += "&amp;"
            case "<": markup += "&lt;"
            case ">": markup += "&gt;"
            case "\"": markup += "&quot;"
            case "'": markup += "&#39;"
            default: markup.append(character)
            }
        }
        self.markup = markup
    }

    /// The output of an HTML template, whose values the template engine escaped as it rendered them.
    init(renderedMarkup markup: String) { self.markup = markup }

    public var description: String { markup }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(renderedMarkup: lhs.markup + rhs.markup) }
}
