// What every order and parcel must satisfy whatever its channel, checked once by `Normalizer` after the adapter:
// adapters refuse with the channel's own field names first; this is the net under all of them, named with the
// canonical field names.

extension CanonicalOrder {
    func checkInvariants() throws(NormalizationError) {
        try Self.checkID(externalId, field: "externalId")
        try Self.checkInstant(placedAt, field: "placedAt")
        if let updatedAt { try Self.checkInstant(updatedAt, field: "updatedAt") }
        // shipBy may be placedAt plus the handling time.
        if let shipBy { try Self.checkInstant(shipBy, field: "shipBy") }
        for (index, line) in lines.enumerated() {
            if let lineId = line.lineId { try Self.checkID(lineId, field: "lines[\(index)].lineId") }
            try Self.checkQuantity(line.quantity, field: "lines[\(index)].quantity")
            try Self.checkPrice(line, field: "lines[\(index)]")
        }
        for (index, shipment) in shipments.enumerated() {
            try shipment.checkInvariants(field: "shipments[\(index)].")
        }
        try checkDiscountCodes()
    }

    /// Codes as `DiscountCodeList` keeps them: no control characters, none too long, each once, amounts positive
    /// and in the order's currency, not too many.
    func checkDiscountCodes() throws(NormalizationError) {
        guard discountCodes.count <= DiscountCode.maxPerOrder else {
            throw NormalizationError(
                .invalidField, field: "discountCodes", "more than \(DiscountCode.maxPerOrder) discount codes")
        }
        var seen: Set<String> = []
        for (index, entry) in discountCodes.enumerated() {
            let field = "discountCodes[\(index)]"
            if let control = Text.firstControlCharacter(in: entry.code) {
                throw NormalizationError(
                    .invalidField, field: field + ".code",
                    "code contains the control character \(Text.codePoint(control))")
            }
            guard !entry.code.isEmpty, entry.code.utf8.count <= DiscountCode.maxBytes else {
                throw NormalizationError(
                    .invalidField, field: field + ".code", "code must be 1-\(DiscountCode.maxBytes) bytes")
            }
            guard seen.insert(entry.matchKey).inserted else {
                throw NormalizationError(
                    .invalidField, field: field + ".code", "code \"\(entry.code.prefix(40))\" is listed twice")
            }
            if let amount = entry.amount, amount.isNegative || amount.currency != currency {
                throw NormalizationError(
                    .invalidField, field: field + ".amount",
                    "amount must be positive and in the order's currency, got \(amount)")
            }
        }
    }

    static func checkInstant(_ instant: UTCTimestamp, field: String) throws(NormalizationError) {
        guard !instant.isRepresentable else { return }
        throw NormalizationError(.invalidField, field: field, "\(instant.rfc3339) is outside the years 0001-9999")
    }

    static func checkQuantity(_ quantity: Int64, field: String) throws(NormalizationError) {
        _ = try Node(nil, path: field).checkedQuantity(quantity)
    }

    /// unitPrice x quantity must be the line total within rounding: a unit price rounded to the minor unit is off by
    /// at most half a minor unit per unit, so |unitPrice x quantity - total| <= quantity / 2. A line of no units
    /// has no unit price to check.
    static func checkPrice(_ line: OrderLine, field: String) throws(NormalizationError) {
        guard line.quantity > 0 else { return }
        let (product, overflow) = line.unitPrice.minorUnits.multipliedReportingOverflow(by: line.quantity)
        let (difference, overflow2) = product.subtractingReportingOverflow(line.total.minorUnits)
        guard overflow || overflow2 || difference.magnitude > UInt64(line.quantity) / 2 else { return }
        throw NormalizationError(
            .invalidField, field: field + ".total",
            "unit price \(line.unitPrice.decimalString) x quantity \(line.quantity) differs from the line total "
                + "\(line.total.decimalString) by more than rounding")
    }

    static func checkID(_ id: String, field: String) throws(NormalizationError) {
        if let control = Text.firstControlCharacter(in: id) {
            throw NormalizationError(
                .invalidField, field: field, "id contains the control character \(Text.codePoint(control))")
        }
    }
}

extension CanonicalOrder {
    /// How far the lines' totals miss `totals.items` (sum of line totals - items), beyond one minor unit per line of
    /// rounding; nil when they add up. Real payloads carry such totals (three lines of 199.00 under an items total of
    /// 398.00): the channel's figures are kept and the order is flagged with this, never refused. Summed in 128
    /// bits, then clamped to the Int64 range.
    public var linesDiscrepancy: Money? {
        var sum: Int128 = 0
        for line in lines { sum += Int128(line.total.minorUnits) }
        let difference = sum - Int128(totals.items.minorUnits)
        guard difference.magnitude > UInt128(lines.count) else { return nil }
        let clamped = Int64(clamping: difference)
        return Money(minorUnits: clamped, currency: totals.items.currency)
    }
}

extension CanonicalShipment {
    /// `field`: the prefix of the field names ("shipments[0]." inside an order, "" for a parcel of its own).
    func checkInvariants(field prefix: String = "") throws(NormalizationError) {
        try CanonicalOrder.checkID(externalId, field: prefix + "externalId")
        try CanonicalOrder.checkID(shipmentId, field: prefix + "shipmentId")
        if let shippedAt { try CanonicalOrder.checkInstant(shippedAt, field: prefix + "shippedAt") }
        for (index, line) in lines.enumerated() {
            if let lineId = line.lineId { try CanonicalOrder.checkID(lineId, field: prefix + "lines[\(index)].lineId") }
            try CanonicalOrder.checkQuantity(line.quantity, field: prefix + "lines[\(index)].quantity")
        }
    }
}
