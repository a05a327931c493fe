import ArgumentParser
import Foundation
import OrdersDomain
import OrdersMail
import OrdersSamples

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the email the notifier would send for an event, or preview every email.",
        discussion: """
            Reads one event body (SPEC 3.5: shipment.dispatched, voucher.issued, order.delayed) and prints the \
            message exactly as it would go to the SMTP server: headers, then the text and HTML parts \
            (quoted-printable). --decoded prints the headers and both parts as plain text instead. \
            --sample KIND renders a realistic sample event instead of a file (\
            \(SampleEvents.kinds.joined(separator: ", "))), in the sample customer's language or --lang's. \
            --all --out DIR writes every kind in every language as KIND.LANG.eml and KIND.LANG.html, with an \
            index.html that links them. Nothing is sent and no database is used. Unset merchant details show as \
            [ORDERFLOW_MERCHANT_… not set].
            """
    )

    @Argument(help: ArgumentHelp("The event body (JSON); - reads standard input", valueName: "EVENT.json"))
    var file: String?

    @Option(help: ArgumentHelp("Render a sample event of this kind instead of a file", valueName: "kind"))
    var sample: String?

    @Option(help: ArgumentHelp("The language of --sample: de, en, fr, nl or it", valueName: "language"))
    var lang: String?

    @Flag(help: "Write every kind of email in every language into --out.")
    var all = false

    @Option(help: ArgumentHelp("The folder --all writes into", valueName: "DIR"))
    var out: String?

    @Flag(help: "Print headers, text and HTML readably instead of the raw message.")
    var decoded = false

    @OptionGroup var mail: MailOptions

    /// Samples are made as of this instant, so previews are the same every time.
    static let sampleTime = UTCTimestamp(rfc3339: "2026-11-25T10:00:00Z")!

    func validate() throws {
        let sources = [file != nil, sample != nil, all].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give an EVENT.json, --sample KIND or --all") }
        if all && out == nil { throw ValidationError("--all needs --out DIR") }
        if let sample, !SampleEvents.kinds.contains(sample) {
            throw ValidationError(
                "--sample \(sample) is not one of \(SampleEvents.kinds.joined(separator: ", "))")
        }
        if let lang, MailLanguage(rawValue: lang) == nil {
            throw ValidationError("--lang \(lang) is not one of de, en, fr, nl, it")
        }
    }

    func run() throws {
        let composer = try mail.composer(placeholders: true)
        if all, let out {
            try Self.writeAll(composer: composer, into: out)
            return
        }
        var event: OrderEvent
        if let sample {
            guard let made = SampleEvents.event(sample, now: Self.sampleTime) else {
                throw ValidationError("no sample for \(sample)")
            }
            event = made
        } else {
            let body = try InputFile.bytes(file ?? "-")
            do { event = try OrderEvent.decode(body) } catch {
                throw ValidationError("not a usable event: \(error)")
            }
        }
        if let lang { event.customer.locale = lang }
        guard let message = try composer.message(for: event) else {
            let content = composer.content(for: event)
            print(
                "no usable recipient address: the notifier records this email as skipped (subject: \(content.subject))")
            return
        }
        if decoded {
            for line in try message.headerLines() { print(line.replacingOccurrences(of: "\r\n", with: "\n")) }
            print("\n----- text/plain -----\n" + message.text.replacingOccurrences(of: "\r\n", with: "\n"))
            print("----- text/html -----\n" + message.html.markup)
        } else {
            FileHandle.standardOutput.write(Data(try message.bytes()))
        }
    }

    /// Every kind × language as .eml and .html, and an index.html with a row per kind.
    static func writeAll(composer: EmailComposer, into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let date = Date(timeIntervalSince1970: TimeInterval(sampleTime.epochMilliseconds / 1000))
        var rows: [String] = []
        var written = 0
        for kind in SampleEvents.kinds {
            guard var event = SampleEvents.event(kind, now: sampleTime) else { continue }
            var cells = ["<th>\(kind)</th>"]
            for language in MailLanguage.allCases {
                event.customer.locale = language.rawValue
                guard let message = try composer.message(for: event, date: date) else { continue }
                let name = "\(kind).\(language.rawValue)"
                try Data(try message.bytes()).write(to: URL(fileURLWithPath: folder + "/\(name).eml"))
                try Data(message.html.markup.utf8).write(to: URL(fileURLWithPath: folder + "/\(name).html"))
                cells.append(
                    "<td><a href=\"\(name).html\">\(HTML(escaping: message.subject).markup)</a> "
                        + "<a href=\"\(name).eml\">.eml</a></td>")
                written += 1
            }
            rows.append("<tr>" + cells.joined() + "</tr>")
        }
        let header = "<tr><th></th>" + MailLanguage.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr>"
        let index = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>orderflow email previews</title>
            <style>body{font-family:Helvetica,Arial,sans-serif}td,th{padding:6px;border:1px solid #ddd;\
            vertical-align:top;text-align:left}table{border-collapse:collapse}</style></head>
            <body>
            <h1>Email previews</h1>
            <table>
            \(header)
            \(rows.joined(separator: "\n"))
            </table>
            </body>
            </html>

            """
        try Data(index.utf8).write(to: URL(fileURLWithPath: folder + "/index.html"))
        print("wrote \(written) emails (.eml and .html) and \(folder)/index.html")
    }
}
