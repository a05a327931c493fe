import CCurl
public import OrdersMail
import Resilience
import Synchronization

/// Sends emails over SMTP with libcurl, one at a time, on a thread of its own (a confined executor
/// owning one easy handle): libcurl blocks, and must never run on Swift's cooperative pool. The
/// handle keeps its connection open between emails, so a stream of emails costs one TCP and TLS
/// handshake and one login, not one per email.
public final class SMTPSender: MailTransport {
    private let endpoint: SMTPEndpoint
    private let envelopeFrom: String
    private let executor: ConfinedExecutor<SenderState>
    private let connections = Atomic<Int>(0)

    /// Connections opened so far: one for a whole stream of emails while the server keeps it open.
    public var connectionsOpened: Int { connections.load(ordering: .relaxed) }

    public init(endpoint: SMTPEndpoint, envelopeFrom: String, label: String = "smtp") {
        self.endpoint = endpoint
        self.envelopeFrom = envelopeFrom
        // Closing the state frees the easy handle: libcurl says QUIT.
        executor = ConfinedExecutor(label: label, open: { SenderState() }, close: { state, _ in state.easy = nil })
    }

    public func deliver(_ message: EmailMessage) async -> DeliveryOutcome {
        do {
            return try await executor.run { [self] state in send(message, with: state) }
        } catch {
            return .deferred(reason: "\(error)")
        }
    }

    /// Closes the connection (libcurl says QUIT).
    public func close() async { await executor.close() }

    // MARK: on the executor's thread

    /// Why an address whose local part is not ASCII is not sent to a server without SMTPUTF8.
    public static let needsSMTPUTF8 =
        "the recipient's address is not ASCII before the @, and the mail server does not offer SMTPUTF8"

    private func send(_ message: EmailMessage, with state: SenderState) -> DeliveryOutcome {
        // Such an address never reaches a server whose EHLO did not offer SMTPUTF8: asked once,
        // before the first one, then known from each new connection's EHLO.
        if message.to.needsSMTPUTF8 {
            if state.offersSMTPUTF8 == nil {
                do { state.offersSMTPUTF8 = try probeSMTPUTF8() } catch {
                    return .deferred(reason: "could not ask the mail server for SMTPUTF8: \(error)")
                }
            }
            if state.offersSMTPUTF8 == false { return .skipped(reason: Self.needsSMTPUTF8) }
        }
        let bytes: [UInt8]
        do { bytes = try message.bytes() } catch { return .deferred(reason: "refused header: \(error)") }
        do {
            let easy = try state.easy ?? makeHandle(for: state)
            state.easy = easy
            state.upload.reset(bytes)
            // Announced as SIZE= in MAIL FROM where the server offers SIZE. A long, the type this option's
            // setopt reads; emails stay far below the 2 GB that would need CURLOPT_INFILESIZE_LARGE.
            try easy.set(CURLOPT_INFILESIZE, bytes.count)
            let recipients = CurlStringList(["<\(message.to.address)>"])
            try easy.set(CURLOPT_MAIL_RCPT, pointer: UnsafeMutableRawPointer(recipients.pointer))
            // After a failed transaction the session state is uncertain: start over on a new connection.
            try easy.set(CURLOPT_FRESH_CONNECT, state.freshConnection ? 1 : 0)
            state.replies.reset()
            state.errorText[0] = 0
            let code = curl_easy_perform(easy.handle)
            // Detach what is freed below from the handle before the next transfer.
            try easy.set(CURLOPT_MAIL_RCPT, pointer: nil)
            withExtendedLifetime(recipients) {}
            state.upload.reset([])
            let opened = easy.connectionsOpened()
            connections.add(opened, ordering: .relaxed)
            // A new connection said EHLO during this transfer: its capabilities are in the replies.
            if opened > 0 { state.offersSMTPUTF8 = Self.offersSMTPUTF8(state.replies.lines) }
            let responseCode = easy.responseCode()
            // The reply that decided, not a later one (libcurl may say QUIT after a failure).
            let reply = state.replies.lines.last { $0.hasPrefix(String(responseCode)) } ?? state.replies.last
            var outcome = Self.outcome(
                code, responseCode: responseCode, reply: reply, detail: String(cString: state.errorText))
            // A reconnect learned that the server no longer offers SMTPUTF8 as the email went: its
            // refusal of the address is no failure of the address.
            if message.to.needsSMTPUTF8, state.offersSMTPUTF8 == false, case .rejected = outcome {
                outcome = .skipped(reason: Self.needsSMTPUTF8)
            }
            if case .accepted = outcome { state.freshConnection = false } else { state.freshConnection = true }
            return outcome
        } catch {
            state.easy = nil
            return .deferred(reason: "\(error)")
        }
    }

    /// Connects, greets (EHLO, STARTTLS and login as configured), says NOOP and disconnects on a
    /// handle of its own, to read the server's capabilities before any recipient is named.
    private func probeSMTPUTF8() throws(MailTransportError) -> Bool {
        let replies = ReplyLines()
        let probe = try CurlEasy()
        try probe.set(CURLOPT_URL, endpoint.curlURL)
        if endpoint.requireStartTLS { try probe.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = endpoint.caCertificateFile { try probe.set(CURLOPT_CAINFO, caFile) }
        try probe.set(CURLOPT_NOSIGNAL, 1)
        try probe.set(CURLOPT_CONNECTTIMEOUT, 10)
        try probe.set(CURLOPT_TIMEOUT, 60)
        try probe.set(CURLOPT_CUSTOMREQUEST, "NOOP")
        try probe.set(CURLOPT_HEADERFUNCTION, callback: ReplyLines.callback)
        try probe.set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(replies).toOpaque())
        // NOOP's reply comes as the transfer's body: collected too, not written to stdout.
        try probe.set(CURLOPT_WRITEFUNCTION, callback: ReplyLines.callback)
        try probe.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(replies).toOpaque())
        let code = curl_easy_perform(probe.handle)
        withExtendedLifetime(replies) {}
        guard code == CURLE_OK else { throw MailTransportError(CurlEasy.describe(code)) }
        return Self.offersSMTPUTF8(replies.lines)
    }

    private func makeHandle(for state: SenderState) throws(MailTransportError) -> CurlEasy {
        let easy = try CurlEasy()
        try easy.set(CURLOPT_URL, endpoint.curlURL)
        try easy.set(CURLOPT_MAIL_FROM, "<\(envelopeFrom)>")
        if endpoint.requireStartTLS { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = endpoint.caCertificateFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_NOSIGNAL, 1)  // several threads; no SIGALRM for timeouts
        try easy.set(CURLOPT_CONNECTTIMEOUT, 10)
        try easy.set(CURLOPT_TIMEOUT, 60)
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_READFUNCTION, readCallback: UploadBuffer.callback)
        try easy.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(state.upload).toOpaque())
        try easy.set(CURLOPT_HEADERFUNCTION, callback: ReplyLines.callback)
        try easy.set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(state.replies).toOpaque())
        try easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(state.errorText))
        return easy
    }

    /// Whether the EHLO reply among `lines` lists SMTPUTF8 ("250-SMTPUTF8" or "250 SMTPUTF8").
    public static func offersSMTPUTF8(_ lines: [String]) -> Bool {
        lines.contains { line in
            // The lines keep their CRLF ("\r\n" is one Character, and whitespace).
            line.hasPrefix("250")
                && line.dropFirst(4).uppercased().split(whereSeparator: \.isWhitespace).first == "SMTPUTF8"
        }
    }

    /// 5xx is the server's final word on this email. Not so a refused login or a refused sender
    /// (`MAIL failed`, libcurl's `detail`): those are this notifier's configuration, would refuse
    /// every email alike, and must not mark them all failed. 4xx, timeouts and lost connections pass.
    static func outcome(_ code: CURLcode, responseCode: Int, reply: String?, detail: String = "") -> DeliveryOutcome {
        if code == CURLE_OK { return .accepted(reply: reply ?? "\(responseCode)") }
        let reply = reply ?? "\(responseCode) \(CurlEasy.describe(code))"
        let configuration =
            [530, 534, 535, 538].contains(responseCode) || code == CURLE_LOGIN_DENIED || detail.hasPrefix("MAIL failed")
        if (500...599).contains(responseCode) {
            return configuration
                ? .deferred(reason: "refused by the server before any recipient (check the sender and login): \(reply)")
                : .rejected(reply: reply)
        }
        if (400...499).contains(responseCode) { return .deferred(reason: reply) }
        return .deferred(reason: "\(CurlEasy.describe(code))\(responseCode > 0 ? " (\(reply))" : "")")
    }
}

/// The sender's handle and per-transfer state. Only ever touched on the sender's executor, the
/// confinement libcurl requires.
private final class SenderState {
    var easy: CurlEasy?
    var freshConnection = false
    /// What the latest connection's EHLO said; nil before the first connection.
    var offersSMTPUTF8: Bool?
    let replies = ReplyLines()
    let upload = UploadBuffer()
    /// libcurl's detailed error text ("RCPT failed: 550"), CURL_ERROR_SIZE bytes.
    let errorText: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        return buffer
    }()

    deinit {
        easy = nil  // the handle may still write into the buffer while it closes
        errorText.deallocate()
    }
}
