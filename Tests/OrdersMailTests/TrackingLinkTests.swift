import OrdersMail
import Testing

@Suite struct TrackingLinkTests {
    @Test(arguments: [
        ("DHL", "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=N123"),
        ("dhl express", "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=N123"),
        ("DPD", "https://tracking.dpd.de/status/de_DE/parcel/N123"),
        ("Hermes", "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#N123"),
        ("GLS", "https://gls-group.com/DE/de/paketverfolgung?match=N123"),
        ("UPS", "https://www.ups.com/track?loc=de_DE&tracknum=N123"),
        ("Deutsche Post", "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode=N123"),
    ])
    func knownCarriers(carrier: String, expected: String) {
        #expect(TrackingLink.url(carrier: carrier, trackingNumber: "N123") == expected)
    }

    @Test func unknownCarrierHasNoLinkUnlessTheEventGivesAnHTTPSOne() {
        #expect(TrackingLink.url(carrier: "Kurier Müller", trackingNumber: "N123") == nil)
        #expect(
            TrackingLink.url(carrier: "Kurier Müller", trackingNumber: "N123", eventURL: "https://track.example/N123")
                == "https://track.example/N123")
        #expect(
            TrackingLink.url(carrier: "Kurier Müller", trackingNumber: "N123", eventURL: "javascript:alert(1)") == nil)
    }

    @Test func trackingNumbersCannotBreakOutOfTheURL() {
        #expect(
            TrackingLink.url(carrier: "DPD", trackingNumber: "1\"><script>")
                == "https://tracking.dpd.de/status/de_DE/parcel/1%22%3E%3Cscript%3E")
    }

    @Test func noNumberNoLink() {
        #expect(TrackingLink.url(carrier: "DHL", trackingNumber: nil) == nil)
    }
}
