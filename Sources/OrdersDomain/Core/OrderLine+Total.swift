extension OrderLine {
    /// A line of a channel that sends the price of the whole quantity: the unit price is the channel's when it
    /// gives one, else total / quantity (exact, else rounded half-even; quantity 0 -> the total). The total is
    /// kept as sent, so the lines still add up to the channel's items total.
    static func pricedByTotal(
        lineId: String?, sku: String?, title: String?, quantity: Int64, total: Money, unitPrice: Money? = nil
    ) -> OrderLine {
        let unitPrice = unitPrice ?? (quantity > 0 ? (total.dividedRoundingHalfEven(by: quantity) ?? total) : total)
        return OrderLine(lineId: lineId, sku: sku, title: title, quantity: quantity, unitPrice: unitPrice, total: total)
    }
}
