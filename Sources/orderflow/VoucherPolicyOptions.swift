import ArgumentParser
import Foundation
import OrdersDomain

/// The voucher policy of SPEC 3.6 as flags with environment fallbacks, shared by `worker` (the
/// automatic triggers) and `vouchers incident` (which may override the value for one campaign).
struct VoucherPolicyOptions: ParsableArguments {
    @Option(
        name: .customLong("voucher-percent"),
        help: ArgumentHelp(
            "Voucher value in percent, 1-100 (default 10) [env: ORDERFLOW_VOUCHER_PERCENT]", valueName: "n"))
    var percent: Int?

    @Option(
        name: .customLong("voucher-amount"),
        help: ArgumentHelp(
            "A fixed voucher amount in the order's currency instead of a percentage, e.g. 5 or 5.00 [env: "
                + "ORDERFLOW_VOUCHER_AMOUNT]",
            valueName: "decimal"))
    var amount: String?

    @Option(
        name: .customLong("voucher-min-order"),
        help: ArgumentHelp(
            "Minimum order value to redeem a voucher, in the order's currency (default none) [env: "
                + "ORDERFLOW_VOUCHER_MIN_ORDER]",
            valueName: "decimal"))
    var minimumOrder: String?

    @Option(
        name: .customLong("voucher-valid-days"),
        help: ArgumentHelp(
            "Days a voucher stays valid (default 90) [env: ORDERFLOW_VOUCHER_VALID_DAYS]", valueName: "days"))
    var validDays: Int?

    @Option(
        name: .customLong("handling-hours"),
        help: ArgumentHelp(
            "Ship-by = placed + this, when a channel promises no date (default 48) [env: ORDERFLOW_HANDLING_HOURS]",
            valueName: "hours"))
    var handlingHours: Int?

    @Option(
        name: .customLong("no-voucher-channels"),
        help: ArgumentHelp(
            "Channels whose orders never get vouchers; late orders get a delay notice instead (default amazon,ebay) "
                + "[env: ORDERFLOW_NO_VOUCHER_CHANNELS]",
            valueName: "list"))
    var channelsWithoutVouchers: String?

    @Option(
        name: .customLong("history-horizon-hours"),
        help: ArgumentHelp(
            "Late orders, merchant cancellations and parcels older than this mail nobody, so importing history is "
                + "quiet (default 168) [env: ORDERFLOW_HISTORY_HORIZON_HOURS]",
            valueName: "hours"))
    var historyHorizonHours: Int?

    /// The policy from flags, environment and defaults; an invalid setting is a usage error naming it.
    func resolve() throws -> VoucherPolicy {
        var policy = VoucherPolicy()
        let amount = Setting("ORDERFLOW_VOUCHER_AMOUNT").resolve(flag: amount)
        let percent = try Setting.number("ORDERFLOW_VOUCHER_PERCENT", flag: percent)
        switch (amount, percent) {
        case (.some, .some): throw ValidationError("set a voucher percentage or an amount, not both")
        case (.some(let amount), nil): policy.value = .amount(amount)
        case (nil, .some(let percent)): policy.value = .percent(percent)
        case (nil, nil): break
        }
        policy.minimumOrder = Setting("ORDERFLOW_VOUCHER_MIN_ORDER").resolve(flag: minimumOrder)
        if let days = try Setting.number("ORDERFLOW_VOUCHER_VALID_DAYS", flag: validDays) { policy.validityDays = days }
        if let hours = try Setting.number("ORDERFLOW_HANDLING_HOURS", flag: handlingHours) {
            policy.handlingHours = hours
        }
        if let hours = try Setting.number("ORDERFLOW_HISTORY_HORIZON_HOURS", flag: historyHorizonHours) {
            policy.delayHorizonHours = hours
        }
        if let list = Setting("ORDERFLOW_NO_VOUCHER_CHANNELS").resolve(flag: channelsWithoutVouchers) {
            policy.channelsWithoutVouchers = Set(
                list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                    !$0.isEmpty
                })
        }
        do { try policy.validate() } catch { throw ValidationError("voucher policy: \(error)") }
        return policy
    }
}
