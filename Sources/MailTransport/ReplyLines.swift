import CCurl

/// Collects the server's reply lines of one transfer (libcurl passes SMTP responses to the
/// header callback). Confined to the thread that runs the transfer.
final class ReplyLines {
    private(set) var lines: [String] = []

    func reset() { lines.removeAll(keepingCapacity: true) }

    /// The last complete reply, e.g. "250 2.0.0 queued as 1234.eml".
    var last: String? { lines.last }

    static let callback: curl_write_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let collector = Unmanaged<ReplyLines>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            .trimmingSuffix { $0 == "\r" || $0 == "\n" }
        if !line.isEmpty { collector.lines.append(line) }
        return length
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var copy = self
        while let last = copy.last, predicate(last) { copy.removeLast() }
        return copy
    }
}
