import ArgumentParser
import Foundation
import MailTransport
import OrdersMail

/// Who the emails come from: sender, reply-to, and the merchant's company details that German law
/// requires in every business email (SPEC 3.7). `notifier` and `render`.
struct MailOptions: ParsableArguments {
    @Option(
        name: .customLong("mail-from"),
        help: ArgumentHelp(
            "Sender, \"Name <address>\"; its domain names the Message-IDs [env: ORDERFLOW_MAIL_FROM]",
            valueName: "address"))
    var mailFrom: String?

    @Option(
        name: .customLong("mail-reply-to"),
        help: ArgumentHelp("Reply-To address [env: ORDERFLOW_MAIL_REPLY_TO]", valueName: "address"))
    var mailReplyTo: String?

    @Option(
        name: .customLong("merchant-name"),
        help: ArgumentHelp("Shop name customers know [env: ORDERFLOW_MERCHANT_NAME]", valueName: "text"))
    var merchantName: String?

    @Option(
        name: .customLong("merchant-legal-name"),
        help: ArgumentHelp(
            "Company name with legal form, e.g. \"Teehaus Vogel GmbH\" [env: ORDERFLOW_MERCHANT_LEGAL_NAME]",
            valueName: "text"))
    var merchantLegalName: String?

    @Option(
        name: .customLong("merchant-address"),
        help: ArgumentHelp(
            "Registered address, one line [env: ORDERFLOW_MERCHANT_ADDRESS]", valueName: "text"))
    var merchantAddress: String?

    @Option(
        name: .customLong("merchant-register"),
        help: ArgumentHelp(
            "Register court and number, e.g. \"Amtsgericht München, HRB 123456\" [env: ORDERFLOW_MERCHANT_REGISTER]",
            valueName: "text"))
    var merchantRegister: String?

    @Option(
        name: .customLong("merchant-directors"),
        help: ArgumentHelp(
            "Managing directors [env: ORDERFLOW_MERCHANT_DIRECTORS]", valueName: "names"))
    var merchantDirectors: String?

    @Option(
        name: .customLong("merchant-vat-id"),
        help: ArgumentHelp("VAT id, optional [env: ORDERFLOW_MERCHANT_VAT_ID]", valueName: "id"))
    var merchantVATID: String?

    @Option(
        name: .customLong("merchant-shop-url"),
        help: ArgumentHelp(
            "Shop URL where vouchers are redeemed (never shown to marketplace buyers) [env: "
                + "ORDERFLOW_MERCHANT_SHOP_URL]",
            valueName: "url"))
    var merchantShopURL: String?

    @Option(
        name: .customLong("mail-time-zone"),
        help: ArgumentHelp(
            "The merchant's time zone for dates in emails and voucher validity (IANA name, default Europe/Berlin) "
                + "[env: ORDERFLOW_MAIL_TIME_ZONE]",
            valueName: "zone"))
    var mailTimeZone: String?

    @Option(
        name: .customLong("mail-default-language"),
        help: ArgumentHelp(
            "Language of an email whose order's locale and country say none of de, en, fr, nl, it (default de) "
                + "[env: ORDERFLOW_MAIL_DEFAULT_LANGUAGE]",
            valueName: "language"))
    var mailDefaultLanguage: String?

    @Option(
        name: .customLong("template-dir"),
        help: ArgumentHelp(
            "Email templates that replace shipped ones file by file (default /etc/orderflow/templates, used when it "
                + "exists) [env: ORDERFLOW_TEMPLATE_DIR]",
            valueName: "path"))
    var templateDir: String?

    @Option(
        name: .customLong("mail-logo-url"),
        help: ArgumentHelp(
            "https URL of the logo above every HTML email (alt text: the shop's name) [env: ORDERFLOW_MAIL_LOGO_URL]",
            valueName: "url"))
    var mailLogoURL: String?

    @Option(
        name: .customLong("mail-accent-color"),
        help: ArgumentHelp(
            "Accent colour of the HTML emails, #rrggbb (default #222222) [env: ORDERFLOW_MAIL_ACCENT_COLOR]",
            valueName: "colour"))
    var mailAccentColor: String?

    private static func env(_ name: String) -> Setting { Setting(name) }

    /// The merchant's time zone: the flag, ORDERFLOW_MAIL_TIME_ZONE, else Europe/Berlin.
    static func timeZone(flag: String?) throws -> TimeZone {
        guard let name = env("ORDERFLOW_MAIL_TIME_ZONE").resolve(flag: flag) else {
            return MailFormatting.defaultTimeZone
        }
        guard let zone = TimeZone(identifier: name) else {
            throw ValidationError("ORDERFLOW_MAIL_TIME_ZONE \"\(name)\" is not a time zone name like Europe/Berlin")
        }
        return zone
    }

    /// The merchant's default language: the flag, ORDERFLOW_MAIL_DEFAULT_LANGUAGE, else German.
    func defaultLanguage() throws -> MailLanguage {
        guard let code = Self.env("ORDERFLOW_MAIL_DEFAULT_LANGUAGE").resolve(flag: mailDefaultLanguage) else {
            return .de
        }
        guard let language = MailLanguage(rawValue: code) else {
            throw ValidationError("ORDERFLOW_MAIL_DEFAULT_LANGUAGE \"\(code)\" is not one of de, en, fr, nl, it")
        }
        return language
    }

    static let defaultTemplateDirectory = "/etc/orderflow/templates"

    /// The shipped templates with the operator's overrides, checked: a broken one stops the command
    /// here, with file, line and problem. `directory` is `templates check`'s argument.
    static func templates(directory: String?) throws -> MailTemplates {
        guard let shipped = MailTemplates.shippedDirectory() else {
            throw ValidationError(
                "the shipped email templates are missing (looked beside the executable and in "
                    + "/usr/share/orderflow/templates)")
        }
        var overrides = directory ?? env("ORDERFLOW_TEMPLATE_DIR").resolve(flag: nil)
        if overrides == nil, FileManager.default.fileExists(atPath: defaultTemplateDirectory) {
            overrides = defaultTemplateDirectory
        }
        do { return try MailTemplates.load(shipped: shipped, overrides: overrides) } catch {
            throw ValidationError("email templates refused:\n\(error)")
        }
    }

    /// The look of the emails: ORDERFLOW_MAIL_LOGO_URL (https only), ORDERFLOW_MAIL_ACCENT_COLOR and
    /// the From name per language, ORDERFLOW_MAIL_SENDER_NAME_DE … _IT.
    func branding() throws -> EmailComposer.Branding {
        var branding = EmailComposer.Branding()
        if let logo = Self.env("ORDERFLOW_MAIL_LOGO_URL").resolve(flag: mailLogoURL) {
            guard logo.lowercased().hasPrefix("https://"), URL(string: logo)?.host?.isEmpty == false else {
                throw ValidationError("ORDERFLOW_MAIL_LOGO_URL \"\(logo)\" is not an https URL")
            }
            branding.logoURL = logo
        }
        if let colour = Self.env("ORDERFLOW_MAIL_ACCENT_COLOR").resolve(flag: mailAccentColor) {
            let digits = colour.dropFirst()
            guard colour.hasPrefix("#"), digits.count == 6, digits.allSatisfy(\.isHexDigit) else {
                throw ValidationError("ORDERFLOW_MAIL_ACCENT_COLOR \"\(colour)\" is not a colour like #1a6b3c")
            }
            branding.accentColor = colour
        }
        for language in MailLanguage.allCases {
            let variable = "ORDERFLOW_MAIL_SENDER_NAME_\(language.rawValue.uppercased())"
            if let name = Self.env(variable).resolve(flag: nil) {
                _ = try MailAddress("check@example.com", name: name, header: variable)
                branding.senderNames[language] = name
            }
        }
        return branding
    }

    /// The composer, from the settings. `placeholders` fills missing merchant details with visible
    /// markers (for `render` previews); otherwise a missing detail is an error.
    func composer(placeholders: Bool) throws -> EmailComposer {
        func value(_ flag: String?, _ variable: String, _ what: String) throws -> String {
            if let value = Self.env(variable).resolve(flag: flag) { return value }
            guard placeholders else { throw ValidationError("\(what) is required: set \(variable) (see --help)") }
            return "[\(variable) not set]"
        }
        let merchant = Merchant(
            name: try value(merchantName, "ORDERFLOW_MERCHANT_NAME", "the merchant's name"),
            legalName: try value(
                merchantLegalName, "ORDERFLOW_MERCHANT_LEGAL_NAME", "the company name with legal form"),
            address: try value(merchantAddress, "ORDERFLOW_MERCHANT_ADDRESS", "the company address"),
            register: try value(merchantRegister, "ORDERFLOW_MERCHANT_REGISTER", "the register court and number"),
            managingDirectors: try value(merchantDirectors, "ORDERFLOW_MERCHANT_DIRECTORS", "the managing directors"),
            shopURL: Self.env("ORDERFLOW_MERCHANT_SHOP_URL").resolve(flag: merchantShopURL),
            vatID: Self.env("ORDERFLOW_MERCHANT_VAT_ID").resolve(flag: merchantVATID)
        )
        let fromText =
            Self.env("ORDERFLOW_MAIL_FROM").resolve(flag: mailFrom) ?? (placeholders ? "shop@example.com" : nil)
        guard let fromText else {
            throw ValidationError("the sender is required: set ORDERFLOW_MAIL_FROM (see --help)")
        }
        let from = try MailAddress(parsing: fromText, header: "ORDERFLOW_MAIL_FROM")
        let replyTo = try Self.env("ORDERFLOW_MAIL_REPLY_TO").resolve(flag: mailReplyTo).map {
            text throws(HeaderError) in
            try MailAddress(parsing: text, header: "ORDERFLOW_MAIL_REPLY_TO")
        }
        return EmailComposer(
            merchant: merchant, from: from, replyTo: replyTo, timeZone: try Self.timeZone(flag: mailTimeZone),
            defaultLanguage: try defaultLanguage(), templates: try Self.templates(directory: templateDir),
            branding: try branding())
    }
}

/// Where the notifier's emails go: an SMTP server, or a folder of .eml files.
struct MailDeliveryOptions: ParsableArguments {
    @Option(
        name: .customLong("smtp-url"),
        help: ArgumentHelp(
            "SMTP server, smtp://[user:password@]host[:port][?starttls=required][&cacertfile=PATH] or smtps://… "
                + "[env: ORDERFLOW_SMTP_URL, ORDERFLOW_SMTP_URL_FILE, credential smtp-url]",
            valueName: "url"))
    var smtpURL: String?

    @Option(
        name: .customLong("mail-dir"),
        help: ArgumentHelp(
            "Write .eml files into this folder instead of sending (the flag wins over an SMTP URL; the env only "
                + "applies without one) [env: ORDERFLOW_MAIL_DIR]",
            valueName: "path"))
    var mailDir: String?

    private static func env(_ name: String) -> Setting { Setting(name) }

    var resolvedSMTPURL: String? { Setting("ORDERFLOW_SMTP_URL").resolve(flag: smtpURL) }
    var resolvedMailDir: String? { Self.env("ORDERFLOW_MAIL_DIR").resolve(flag: mailDir) }

    /// The mail folder when given as a flag, else SMTP when a URL is set, else the folder from the
    /// environment; neither is an error.
    func transport(envelopeFrom: String) throws -> any MailTransport {
        if let folder = mailDir { return try MailDirectory(path: folder) }
        if let url = resolvedSMTPURL {
            return SMTPSender(endpoint: try SMTPEndpoint(url: url), envelopeFrom: envelopeFrom)
        }
        if let folder = resolvedMailDir { return try MailDirectory(path: folder) }
        throw ValidationError("nowhere to send mail: set ORDERFLOW_SMTP_URL, or ORDERFLOW_MAIL_DIR to write .eml files")
    }

    /// Where mail goes, for the start-up log line (no password).
    func destinationDescription() -> String {
        if let folder = mailDir { return "folder \(folder)" }
        if let url = resolvedSMTPURL { return (try? SMTPEndpoint(url: url).redacted) ?? "an invalid SMTP URL" }
        return resolvedMailDir.map { "folder \($0)" } ?? "nowhere"
    }
}
