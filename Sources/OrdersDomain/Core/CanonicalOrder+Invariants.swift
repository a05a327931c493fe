// What every order and parcel must satisfy whatever its channel, checked once by `Normalizer` after the adapter:
// adapters refuse with the channel's own field names first; this is the net under all of them, named with the
// canonical field names.

extension CanonicalOrder {
    func checkInvariants() throws(NormalizationError) {
        try Self.checkID(externalId, field: "externalId")
        for (index, line) in lines.enumerated() {
            if let lineId = line.lineId { try Self.checkID(lineId, field: "lines[\(index)].lineId") }
        }
        for (index, shipment) in shipments.enumerated() {
            try shipment.checkInvariants(field: "shipments[\(index)].")
        }
    }

    static func checkID(_ id: String, field: String) throws(NormalizationError) {
        if let control = Text.firstControlCharacter(in: id) {
            throw NormalizationError(
                .invalidField, field: field, "id contains the control character \(Text.codePoint(control))")
        }
    }
}

extension CanonicalShipment {
    /// `field`: the prefix of the field names ("shipments[0]." inside an order, "" for a parcel of its own).
    func checkInvariants(field prefix: String = "") throws(NormalizationError) {
        try CanonicalOrder.checkID(externalId, field: prefix + "externalId")
        try CanonicalOrder.checkID(shipmentId, field: prefix + "shipmentId")
        for (index, line) in lines.enumerated() {
            if let lineId = line.lineId { try CanonicalOrder.checkID(lineId, field: prefix + "lines[\(index)].lineId") }
        }
    }
}
