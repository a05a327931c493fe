import ArgumentParser
import OrdersMail

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Email templates: check the shipped ones with an override directory.",
        subcommands: [Check.self]
    )
}

extension Templates {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the email templates: the shipped ones, each replaced by a file of the same name in DIR.",
            discussion: """
                DIR defaults to ORDERFLOW_TEMPLATE_DIR, else /etc/orderflow/templates when it exists. Refuses, with \
                file, line and problem, what would stop the notifier at start: a template that does not parse, \
                an unknown partial, a variable the event does not offer, a missing file, a file name nothing \
                uses, a layout without the legal footer partial. Exit status 0 when every template is usable.
                """
        )

        @Argument(help: ArgumentHelp("Override directory", valueName: "DIR"))
        var directory: String?

        func run() throws {
            let templates = try MailOptions.templates(directory: directory)
            let overridden = templates.paths.filter { !$0.value.hasPrefix(MailTemplates.shippedDirectory() ?? "/") }
            print(
                "email templates usable: \(templates.paths.count) files"
                    + (overridden.isEmpty ? "" : ", \(overridden.count) from the override directory:"))
            for (name, path) in overridden.sorted(by: { $0.key < $1.key }) { print("  \(name)\t\(path)") }
        }
    }
}
