import Mustache
import OrdersDomain

/// The compiled templates: every wording and layout, parsed once. A template that does not parse
/// is a programming error in this module (and fails its unit tests), hence `try!`.
enum EmailTemplates {
    /// The paragraphs have no content type of their own: they are placed into the layout as
    /// templates and render inside it, so each value is escaped once, by the layout's content type.
    struct Compiled: Sendable {
        let subject: MustacheTemplate
        let paragraphs: [MustacheTemplate]
    }

    static func wording(_ topic: Wording.Topic, _ language: MailLanguage) -> Compiled {
        compiledWordings[Key(topic: topic, language: language)]!
    }

    static func text(_ language: MailLanguage) -> MustacheTemplate { textLayouts[language]! }
    static func html(_ language: MailLanguage) -> MustacheTemplate { htmlLayouts[language]! }

    private struct Key: Hashable { let topic: Wording.Topic; let language: MailLanguage }

    private static let topics: [Wording.Topic] =
        [.shipment, .delayNotice] + VoucherReason.allCases.map(Wording.Topic.voucher)

    private static let compiledWordings: [Key: Compiled] = {
        var result: [Key: Compiled] = [:]
        for topic in topics {
            for language in MailLanguage.allCases {
                let wording = Wording.of(topic, language)
                result[Key(topic: topic, language: language)] = Compiled(
                    subject: compile("{{% CONTENT_TYPE: TEXT}}" + wording.subject),
                    paragraphs: wording.paragraphs.map { compile($0) }
                )
            }
        }
        return result
    }()

    private static let textLayouts = Dictionary(
        uniqueKeysWithValues: MailLanguage.allCases.map { ($0, compile(Layouts.text($0))) })
    private static let htmlLayouts = Dictionary(
        uniqueKeysWithValues: MailLanguage.allCases.map { ($0, compile(Layouts.html($0))) })

    private static func compile(_ source: String) -> MustacheTemplate {
        // swiftlint:disable:next force_try
        try! MustacheTemplate(string: source)
    }
}
