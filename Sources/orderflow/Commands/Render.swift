import ArgumentParser
import Foundation
import OrdersDomain
import OrdersMail

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the email the notifier would send for an event.",
        discussion: """
            Reads one event body (SPEC 3.5: shipment.dispatched, voucher.issued, order.delayed) and prints the \
            message exactly as it would go to the SMTP server: headers, then the text and HTML parts \
            (quoted-printable). --decoded prints the headers and both parts as plain text instead. Nothing is \
            sent and no database is used. Unset merchant details show as [ORDERFLOW_MERCHANT_… not set].
            """
    )

    @Argument(help: ArgumentHelp("The event body (JSON); - reads standard input", valueName: "EVENT.json"))
    var file: String

    @Flag(help: "Print headers, text and HTML readably instead of the raw message.")
    var decoded = false

    @OptionGroup var mail: MailOptions

    func run() throws {
        let body = try InputFile.bytes(file)
        let event: OrderEvent
        do { event = try OrderEvent.decode(body) } catch {
            throw ValidationError("not a usable event: \(error)")
        }
        let composer = try mail.composer(placeholders: true)
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
}
