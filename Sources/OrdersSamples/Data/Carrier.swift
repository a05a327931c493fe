/// The parcel services of German shops, with tracking numbers in each one's format and its public
/// tracking page.
enum Carrier: String, Sendable, CaseIterable {
    case dhl = "DHL"
    case dpd = "DPD"
    case hermes = "Hermes"
    case gls = "GLS"
    case ups = "UPS"
    case deutschePost = "Deutsche Post"

    static let weighted: [(Carrier, Int)] = [
        (.dhl, 45), (.dpd, 15), (.hermes, 15), (.gls, 10), (.ups, 8), (.deutschePost, 7),
    ]

    func trackingNumber(_ random: inout SplitMix64) -> String {
        switch self {
        case .dhl: "00340434" + random.digits(12)
        case .dpd: "0" + random.digits(13)
        case .hermes: "H" + random.digits(19)
        case .gls: random.digits(11)
        case .ups: "1Z" + random.characters(6, from: "0123456789ABCDEFGHJKLMNPRSTUVWXYZ") + random.digits(10)
        case .deutschePost: "RR" + random.digits(9) + "DE"
        }
    }

    func trackingURL(_ number: String) -> String {
        switch self {
        case .dhl: "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=\(number)"
        case .dpd: "https://tracking.dpd.de/status/de_DE/parcel/\(number)"
        case .hermes: "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#\(number)"
        case .gls: "https://gls-group.com/DE/de/paketverfolgung?match=\(number)"
        case .ups: "https://www.ups.com/track?loc=de_DE&tracknum=\(number)"
        case .deutschePost: "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode=\(number)"
        }
    }
}
