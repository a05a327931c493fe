import AMQP
import ArgumentParser
import LibPQ
import MailTransport

@main
struct Orderflow: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "Ingests channel orders from RabbitMQ into PostgreSQL and mails shipment and apology emails.",
        discussion: """
            Every setting is a flag with an environment-variable fallback (shown in each command's --help).
            Secrets can also come from files: ORDERFLOW_<NAME>_FILE, or systemd credentials in
            $CREDENTIALS_DIRECTORY (amqp-url, database-url, smtp-url).
            """,
        version: "orderflow \(version) (librabbitmq \(AMQPConnection.libraryVersion), libpq \(PostgresConnection.libraryVersionString), libcurl \(LibCurl.version))",
        subcommands: [
            Migrate.self, TopologyCommand.self, Worker.self, Notifier.self, Publish.self, Normalize.self,
            Render.self, Rejects.self, Vouchers.self, Status.self,
        ]
    )
}

extension PostgresConnection {
    /// "15.18" from libpq's integer version 150018.
    static var libraryVersionString: String {
        let v = libraryVersion
        return v >= 100_000 ? "\(v / 10000).\(v % 10000)" : "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }
}
