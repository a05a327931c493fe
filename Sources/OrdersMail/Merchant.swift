/// Who the emails come from: the sender, and the company details German law requires in every
/// business email (HGB §37a, GmbHG §35a): name and legal form, address, register court and
/// number, managing directors. Taken from settings; nothing here is advertising.
public struct Merchant: Sendable, Equatable {
    /// The shop's name as customers know it ("Teehaus Vogel").
    public var name: String
    /// The registered company name with its legal form ("Teehaus Vogel GmbH").
    public var legalName: String
    /// Street, postcode and town, and country, as one line.
    public var address: String
    /// "Amtsgericht München, HRB 123456".
    public var register: String
    /// "Lena Vogel, Jonas Vogel".
    public var managingDirectors: String
    /// The shop, where a voucher code is redeemed; omitted in marketplace emails.
    public var shopURL: String?
    /// A VAT id, when the merchant has one ("DE123456789").
    public var vatID: String?

    public init(
        name: String, legalName: String, address: String, register: String, managingDirectors: String,
        shopURL: String? = nil, vatID: String? = nil
    ) {
        self.name = name
        self.legalName = legalName
        self.address = address
        self.register = register
        self.managingDirectors = managingDirectors
        self.shopURL = shopURL
        self.vatID = vatID
    }

    /// The company-details block, one line each.
    func imprint(_ language: MailLanguage) -> [String] {
        let phrases = Wording.phrases(language)
        var lines = [legalName, address, register, "\(phrases.directors): \(managingDirectors)"]
        if let vatID { lines.append("\(phrases.vatID): \(vatID)") }
        return lines
    }
}
