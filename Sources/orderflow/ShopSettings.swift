import OrdersStore
import Settings
import ShopConnections

/// The shop connections of this run: `ORDERFLOW_SHOP_<CHANNEL>_URL` with `…_TOKEN` (or `…_TOKEN_FILE`,
/// or the credential `shop-<channel>-token`) for each channel orderflow has a connector for.
enum ShopSettings {
    static let defaultTimeoutSeconds = 15

    /// Each configured shop; a URL that is not https (or http to a loopback address) or a missing
    /// token is an error naming the setting (exit 78).
    static func connections() throws -> [ShopConnection] {
        try SettingKey.shopChannels.compactMap { channel -> ShopConnection? in
            guard let url = Settings.current.resolve(SettingKey.shopURL(channel).name)?.value, !url.isEmpty else {
                return nil
            }
            let token = Settings.current.resolve(SettingKey.shopToken(channel).name)?.value ?? ""
            do { return try ShopConnection(channel: channel, url: url, token: token) } catch {
                throw SettingsError("\(error)")
            }
        }
    }

    /// Which channels' vouchers wait for their shop; ORDERFLOW_VOUCHERS_REQUIRE_SYNC=on keeps the others
    /// unannounced too.
    static func sync() throws -> VoucherStore.ShopSync {
        VoucherStore.ShopSync(
            connectedChannels: Set(try connections().map(\.channel)),
            requireSync: Settings.current.resolve(SettingKey.vouchersRequireSync.name)?.value == "on")
    }

    /// ORDERFLOW_SHOP_TIMEOUT: seconds for a whole request to a shop.
    static func timeout() throws -> Duration {
        let seconds = try Setting.number("ORDERFLOW_SHOP_TIMEOUT", flag: nil) ?? defaultTimeoutSeconds
        guard (1...300).contains(seconds) else {
            throw SettingsError("ORDERFLOW_SHOP_TIMEOUT must be 1 to 300 seconds")
        }
        return .seconds(seconds)
    }
}
