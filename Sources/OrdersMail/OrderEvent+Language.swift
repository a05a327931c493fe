public import OrdersDomain

extension OrderEvent {
    /// The language of the event's email (SPEC 3.7): the customer's locale, else the shipping
    /// country, else the merchant's default.
    public func language(default defaultLanguage: MailLanguage = .de) -> MailLanguage {
        MailLanguage(locale: customer.locale, country: order.country, default: defaultLanguage)
    }
}
