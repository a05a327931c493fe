/// The carrier's public tracking page for a parcel.
///
/// Known carriers get a link built here from the tracking number (the event's `trackingUrl` is a
/// channel's value and may point anywhere); an unknown carrier's email shows the number without a
/// link unless the event carries an https link.
public enum TrackingLink {
    public static func url(
        carrier: String?, trackingNumber: String?, eventURL: String? = nil, language: MailLanguage = .de
    ) -> String? {
        guard let number = trackingNumber, !number.isEmpty else { return nil }
        let encoded = percentEncoded(number)
        if let carrier = KnownCarrier(name: carrier) {
            return carrier.trackingURL(encoded, language: language)
        }
        if let eventURL, eventURL.lowercased().hasPrefix("https://"),
            !eventURL.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
        {
            return eventURL
        }
        return nil
    }

    /// The carrier's name as customers know it ("dhl express" -> "DHL"), or the given text.
    public static func displayName(carrier: String?) -> String? {
        KnownCarrier(name: carrier)?.rawValue ?? carrier
    }

    enum KnownCarrier: String, CaseIterable {
        case dhl = "DHL", dpd = "DPD", hermes = "Hermes", gls = "GLS", ups = "UPS", deutschePost = "Deutsche Post"
        case fedex = "FedEx", postAT = "Österreichische Post", swissPost = "Die Post (Schweiz)"

        init?(name: String?) {
            guard let name else { return nil }
            let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
            switch key {
            case "dhl", "dhlparcel", "dhlpaket", "dhlde", "dhlexpress": self = .dhl
            case "dpd", "dpdde": self = .dpd
            case "hermes", "hermesde", "myhermes", "evri": self = .hermes
            case "gls", "glsde", "glsgroup": self = .gls
            case "ups", "upsde": self = .ups
            case "deutschepost", "post", "deutschepostdhl", "warenpost", "dpag": self = .deutschePost
            case "fedex", "fedexexpress": self = .fedex
            case "österreichischepost", "osterreichischepost", "postat", "austrianpost": self = .postAT
            case "swisspost", "postch", "diepost", "dieschweizerischepost": self = .swissPost
            default: return nil
            }
        }

        func trackingURL(_ number: String, language: MailLanguage) -> String {
            let de = language == .de
            return switch self {
            case .dhl:
                de
                    ? "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=\(number)"
                    : "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode=\(number)"
            case .dpd: "https://tracking.dpd.de/status/\(de ? "de_DE" : "en_DE")/parcel/\(number)"
            case .hermes: "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#\(number)"
            case .gls: "https://gls-group.com/DE/\(de ? "de" : "en")/paketverfolgung?match=\(number)"
            case .ups: "https://www.ups.com/track?loc=\(de ? "de_DE" : "en_DE")&tracknum=\(number)"
            case .deutschePost: "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode=\(number)"
            case .fedex: "https://www.fedex.com/fedextrack/?trknbr=\(number)"
            case .postAT: "https://www.post.at/s/sendungsdetails?snr=\(number)"
            case .swissPost: "https://service.post.ch/ekp-web/ui/entry/shipment/\(number)"
            }
        }
    }

    /// Tracking numbers are letters and digits; anything else is percent-encoded so it cannot end the URL.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
