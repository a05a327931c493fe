/// Exact conversion of a decimal literal ("-45.900", "1.5E2") into an integer count of 10^-scale units,
/// without ever passing through a floating-point type. Shared by `Money` and integer fields.
enum DecimalLiteral {
    enum Failure: Error, Equatable {
        case malformed
        case overflow
        /// Nonzero digits below the requested scale (only when not rounding).
        case inexact
    }

    /// The value of `text` times 10^scale as an Int64.
    /// Grammar: optional '-', one or more digits, optional '.' with one or more digits, optional
    /// exponent [eE][+-]digits. Leading zeros are allowed (channels send "07.80").
    /// `roundHalfEven`: round digits below the scale instead of refusing nonzero ones.
    static func scaled(_ text: String, scale: Int, roundHalfEven: Bool) throws(Failure) -> Int64 {
        var text = text
        text.makeContiguousUTF8()  // no-op for native strings; guarantees the fast path below
        let result = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(Failure) -> Int64 in try scaled(bytes, scale: scale, roundHalfEven: roundHalfEven) }
        }
        return try (result ?? .failure(.malformed)).get()
    }

    static func scaled(_ bytes: UnsafeBufferPointer<UInt8>, scale: Int, roundHalfEven: Bool) throws(Failure) -> Int64 {
        let digit0 = UInt8(ascii: "0"), digit9 = UInt8(ascii: "9")
        var position = 0
        let count = bytes.count
        var negative = false
        if position < count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let integerStart = position
        while position < count, bytes[position] >= digit0, bytes[position] <= digit9 { position += 1 }
        let integerEnd = position
        guard integerEnd > integerStart else { throw .malformed }
        var fractionStart = position, fractionEnd = position
        if position < count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            fractionStart = position
            while position < count, bytes[position] >= digit0, bytes[position] <= digit9 { position += 1 }
            fractionEnd = position
            guard fractionEnd > fractionStart else { throw .malformed }
        }
        var exponent = 0
        if position < count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            var exponentNegative = false
            if position < count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            let exponentStart = position
            while position < count, bytes[position] >= digit0, bytes[position] <= digit9 {
                // Saturate: any exponent beyond this is overflow or all-zero anyway, and the
                // digit count is bounded by the body size.
                exponent = min(exponent * 10 + Int(bytes[position] - digit0), 100_000_000)
                position += 1
            }
            guard position > exponentStart else { throw .malformed }
            if exponentNegative { exponent = -exponent }
        }
        guard position == count else { throw .malformed }

        // value = digits × 10^(exponent - fractionDigits); we want value × 10^scale.
        let integerDigits = integerEnd - integerStart
        let fractionDigits = fractionEnd - fractionStart
        let totalDigits = integerDigits + fractionDigits
        let shift = exponent - fractionDigits + scale
        let keptDigits = shift >= 0 ? totalDigits : max(0, totalDigits + shift)

        func digit(at index: Int) -> UInt64 {
            let byte =
                index < integerDigits ? bytes[integerStart + index] : bytes[fractionStart + index - integerDigits]
            return UInt64(byte - digit0)
        }

        var magnitude: UInt64 = 0
        for index in 0..<keptDigits {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit(at: index))
            guard !overflow1, !overflow2 else { throw .overflow }
            magnitude = sum
        }
        if keptDigits < totalDigits {
            // Digits below the unit: refuse unless zero, or round half to even.
            let firstDropped = digit(at: keptDigits)
            var restNonzero = false
            for index in (keptDigits + 1)..<max(keptDigits + 1, totalDigits) where digit(at: index) != 0 {
                restNonzero = true
                break
            }
            if !roundHalfEven {
                guard firstDropped == 0, !restNonzero else { throw .inexact }
            } else if firstDropped > 5 || (firstDropped == 5 && (restNonzero || magnitude % 2 == 1)) {
                let (rounded, overflow) = magnitude.addingReportingOverflow(1)
                guard !overflow else { throw .overflow }
                magnitude = rounded
            }
        } else if shift > 0, magnitude != 0 {
            for _ in 0..<shift {
                let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw .overflow }
                magnitude = times10
            }
        }

        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .overflow }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .overflow }
        return Int64(magnitude)
    }
}
