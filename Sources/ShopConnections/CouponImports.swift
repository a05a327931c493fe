import OrdersDomain

/// Files for the shops' own bulk imports (`vouchers export`), for vouchers orderflow does not create
/// itself. Neither shop has a coupon CSV import of its own, so each file is the body its API takes in
/// bulk, every voucher built by its connector: what the sync would have sent, field for field.
public enum CouponImports {
    /// WooCommerce answers a batch of more objects with 413 `woocommerce_rest_request_entity_too_large`.
    public static let wooCommerceBatchLimit = 100

    /// Shopify's bulk import (`stagedUploadsCreate` with resource BULK_MUTATION_VARIABLES, then
    /// `bulkOperationRunMutation` with `ShopifyConnector.createMutation`): JSON Lines, one line per
    /// voucher holding that mutation's variables, `{"basicCodeDiscount": {...}}`.
    public static func shopifyBulkVariables(_ vouchers: [ShopVoucher]) -> String {
        vouchers.map { voucher in
            JSON.serialize(.object(JSONObject([("basicCodeDiscount", ShopifyConnector.input(voucher))]))) + "\n"
        }.joined()
    }

    /// WooCommerce REST v3 `POST /wp-json/wc/v3/coupons/batch`: one request body a line,
    /// `{"create": [...]}` with at most `wooCommerceBatchLimit` coupons each.
    public static func wooCommerceBatches(_ vouchers: [ShopVoucher]) -> String {
        stride(from: 0, to: vouchers.count, by: wooCommerceBatchLimit).map { start in
            let batch = vouchers[start..<min(start + wooCommerceBatchLimit, vouchers.count)]
            return JSON.serialize(.object(JSONObject([("create", .array(batch.map(WooCommerceConnector.coupon)))])))
                + "\n"
        }.joined()
    }
}
