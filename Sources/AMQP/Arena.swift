internal import CRabbitMQ
import Glibc

/// Owns the C memory (strings, tables, properties) handed to one librabbitmq call, and frees it
/// all when the call's scope ends. librabbitmq copies what it sends, so nothing outlives the call.
final class Arena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { for pointer in allocations { free(pointer) } }

    func bytes(_ string: String) -> amqp_bytes_t {
        let utf8 = Array(string.utf8)
        guard !utf8.isEmpty, let memory = malloc(utf8.count) else { return amqp_bytes_t(len: 0, bytes: nil) }
        allocations.append(memory)
        utf8.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: utf8.count) }
        return amqp_bytes_t(len: utf8.count, bytes: memory)
    }

    func table(_ dictionary: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !dictionary.isEmpty, let memory = malloc(MemoryLayout<amqp_table_entry_t>.stride * dictionary.count)
        else {
            return amqp_table_t(num_entries: 0, entries: nil)
        }
        allocations.append(memory)
        let entries = memory.bindMemory(to: amqp_table_entry_t.self, capacity: dictionary.count)
        for (i, (key, value)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
            entries[i] = amqp_table_entry_t(key: bytes(key), value: field(value))
        }
        return amqp_table_t(num_entries: Int32(dictionary.count), entries: entries)
    }

    private func field(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .bool(let b): field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue); field.value.boolean = b ? 1 : 0
        case .int(let n): field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue); field.value.i64 = n
        case .string(let s): field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue); field.value.bytes = bytes(s)
        case .table(let t): field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue); field.value.table = table(t)
        case .array(let values):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            field.value.array = amqp_array_t(num_entries: 0, entries: nil)
            guard !values.isEmpty, let memory = malloc(MemoryLayout<amqp_field_value_t>.stride * values.count) else {
                break
            }
            allocations.append(memory)
            let items = memory.bindMemory(to: amqp_field_value_t.self, capacity: values.count)
            for (i, value) in values.enumerated() { items[i] = self.field(value) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: items)
        }
        return field
    }

    func properties(_ p: AMQPProperties) -> amqp_basic_properties_t {
        var result = amqp_basic_properties_t()
        var flags: amqp_flags_t = 0
        if let v = p.messageID { result.message_id = bytes(v); flags |= Flag.messageID }
        if let v = p.contentType { result.content_type = bytes(v); flags |= Flag.contentType }
        if let v = p.deliveryMode { result.delivery_mode = v; flags |= Flag.deliveryMode }
        if let v = p.timestamp { result.timestamp = v; flags |= Flag.timestamp }
        if let v = p.type { result.type = bytes(v); flags |= Flag.type }
        if let v = p.correlationID { result.correlation_id = bytes(v); flags |= Flag.correlationID }
        if !p.headers.isEmpty { result.headers = table(p.headers); flags |= Flag.headers }
        result._flags = flags
        return result
    }

    /// Reads a received table (headers); kinds orderflow does not use are skipped.
    static func dictionary(_ table: amqp_table_t) -> [String: AMQPFieldValue] {
        var result: [String: AMQPFieldValue] = [:]
        for i in 0..<Int(table.num_entries) {
            let entry = table.entries[i]
            if let value = value(entry.value) { result[AMQPConnection.string(entry.key)] = value }
        }
        return result
    }

    /// One received value (timestamps as seconds since the epoch); nil for kinds orderflow does not use.
    static func value(_ field: amqp_field_value_t) -> AMQPFieldValue? {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue:
            .string(AMQPConnection.string(field.value.bytes))
        case AMQP_FIELD_KIND_TABLE.rawValue: .table(dictionary(field.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            .array(
                (0..<Int(field.value.array.num_entries)).compactMap { value(field.value.array.entries[$0]) })
        default: nil
        }
    }
}
