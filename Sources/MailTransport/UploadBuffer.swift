import CCurl

/// The message bytes of one transfer, handed to libcurl piece by piece through the read callback
/// (an SMTP upload: libcurl sends them after DATA, doubling a leading dot itself, and adds the
/// final `.` line). Confined to the thread that runs the transfer.
final class UploadBuffer {
    private var bytes: [UInt8] = []
    private var offset = 0

    /// The next transfer sends `bytes` from the start.
    func reset(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    static let callback: curl_read_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
        let upload = Unmanaged<UploadBuffer>.fromOpaque(userdata).takeUnretainedValue()
        let length = min(size * count, upload.bytes.count - upload.offset)
        guard length > 0 else { return 0 }  // everything sent: the end of the message
        upload.bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
        }
        upload.offset += length
        return length
    }
}
