import Foundation
import OrdersMail
import Testing

/// The shipped template files, an operator's overrides, and what the checks refuse.
@Suite struct TemplateFileTests {
    let shipped: String
    let overrides: URL

    init() throws {
        shipped = try #require(MailTemplates.shippedDirectory())
        overrides = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: overrides, withIntermediateDirectories: true)
    }

    private func override(_ name: String, _ text: String) throws -> String {
        let path = overrides.appendingPathComponent(name + MailTemplates.fileExtension).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func shippedText(_ name: String) throws -> String {
        try String(contentsOfFile: shipped + "/" + name + MailTemplates.fileExtension, encoding: .utf8)
    }

    private func refusal(_ body: () throws -> MailTemplates) -> String {
        do {
            _ = try body()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func theShippedTemplatesPassTheirChecksAndCoverEveryKindLanguageAndPart() throws {
        let templates = try MailTemplates.load(shipped: shipped)
        let expected =
            MailTemplates.Kind.allCases.count * MailLanguage.allCases.count * MailTemplates.Part.allCases.count
        #expect(templates.paths.keys.filter { $0.hasSuffix(".subject") }.count * 3 == expected)
        for name in ["layout.html", "layout.text", "footer.html", "footer.text"] {
            #expect(templates.paths[name] != nil)
        }
        // Each event file documents the variables it is offered.
        #expect(try shippedText("shipment-dispatched.de.html").contains("trackingLink"))
        #expect(try shippedText("voucher-incident.it.text").contains("incidentMessage"))
    }

    @Test func anOverrideChangesOneSentenceOfTheGermanShipmentMail() throws {
        let original = try shippedText("shipment-dispatched.de.text")
        let changed = original.replacingOccurrences(of: "unser Lager", with: "unsere Teestube in Heidelberg")
        #expect(changed != original)
        _ = try override("shipment-dispatched.de.text", changed)
        var composer = try Events.composer()
        composer.templates = try MailTemplates.load(shipped: shipped, overrides: overrides.path)
        let event = try Events.decode(Events.shipment())
        let german = composer.content(for: event)
        #expect(german.text.contains("hat am 24. November 2026 unsere Teestube in Heidelberg verlassen"))
        #expect(!german.html.markup.contains("Teestube"))  // only the one file changed
        #expect(!composer.content(for: event, in: .en).text.contains("Teestube"))
    }

    @Test func aTemplateThatDoesNotParseIsRefusedWithFileAndLine() throws {
        let path = try override(
            "shipment-dispatched.de.html",
            "<p>Guten Tag</p>\n<p>{{orderNumber}}</p>\n<p>{{#carrier}}mit {{carrier}}</p>\n")
        let message = refusal { try MailTemplates.load(shipped: shipped, overrides: overrides.path) }
        #expect(message.contains("\(path):"), "\(message)")
        #expect(message.contains("does not parse"), "\(message)")
    }

    @Test func anUnknownVariableOrPartialIsRefusedWithFileAndLine() throws {
        let path = try override(
            "voucher-delay.de.text",
            "{{% CONTENT_TYPE: TEXT}}\nGuten Tag {{name}},\n\n{{trackingNumber}}\n{{voucher.cod}}\n{{> footer.txt}}\n")
        let message = refusal { try MailTemplates.load(shipped: shipped, overrides: overrides.path) }
        #expect(message.contains("\(path):4: unknown variable {{trackingNumber}}"), "\(message)")
        #expect(message.contains("\(path):5: unknown variable {{voucher.cod}}"), "\(message)")
        #expect(message.contains("\(path):6: unknown partial {{> footer.txt}}"), "\(message)")
    }

    @Test func aLayoutWithoutTheLegalFooterIsRefused() throws {
        let layout = try shippedText("layout.html").replacingOccurrences(of: "{{> footer.html}}", with: "")
        let path = try override("layout.html", layout)
        let message = refusal { try MailTemplates.load(shipped: shipped, overrides: overrides.path) }
        #expect(message.contains("\(path): does not include the legal footer {{> footer.html}}"), "\(message)")
    }

    @Test func anHTMLTemplateCannotSwitchEscapingOffAndATextOneMustSayItIsText() throws {
        let html = try override("order-delayed.en.html", "{{% CONTENT_TYPE: TEXT}}\n<p>{{name}}</p>\n")
        let text = try override("order-delayed.en.text", "Hello {{name}}\n")
        let message = refusal { try MailTemplates.load(shipped: shipped, overrides: overrides.path) }
        #expect(message.contains("\(html):1: an HTML template must keep HTML escaping"), "\(message)")
        #expect(message.contains("\(text):1: a text template must begin with {{% CONTENT_TYPE: TEXT}}"), "\(message)")
    }

    @Test func aFileNothingUsesIsRefused() throws {
        let path = try override("shipment-dispatched.de.txt", "Hallo")
        let message = refusal { try MailTemplates.load(shipped: shipped, overrides: overrides.path) }
        #expect(message.contains("\(path): is not the name of a shipped template"), "\(message)")
    }

    @Test func aMissingTemplateIsRefused() throws {
        let sources = try MailTemplates.files(in: shipped).filter { $0.name != "order-delayed.nl.subject" }
        let message = refusal { try MailTemplates(sources: sources) }
        #expect(message.contains("order-delayed.nl.subject.mustache: is missing"), "\(message)")
    }

    @Test func theSenderIsNamedInTheEmailsLanguage() throws {
        var composer = try Events.composer()
        composer.branding.senderNames = [.fr: "Maison de thé Vogel"]
        let french = try #require(try composer.message(for: Events.decode(Events.voucher(locale: "fr-CH"))))
        #expect(french.from == (try MailAddress("service@teehaus-vogel.example", name: "Maison de thé Vogel")))
        #expect(french.messageID.hasSuffix("@teehaus-vogel.example>"))
        let german = try #require(try composer.message(for: Events.decode(Events.voucher(locale: "de"))))
        #expect(german.from.name == "Teehaus Vogel")
    }

    @Test func theLogoAndAccentColourReachTheHTML() throws {
        var composer = try Events.composer()
        composer.branding = .init(logoURL: "https://teehaus-vogel.example/logo.png?a=1&b=2", accentColor: "#1a6b3c")
        let html = composer.content(for: try Events.decode(Events.shipment())).html.markup
        #expect(html.contains(#"<img src="https://teehaus-vogel.example/logo.png?a=1&amp;b=2" alt="Teehaus Vogel""#))
        #expect(html.contains("#1a6b3c"))
        #expect(try !Events.composer().content(for: Events.decode(Events.shipment())).html.markup.contains("<img"))
    }
}
