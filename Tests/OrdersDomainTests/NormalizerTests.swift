import Testing
@testable import OrdersDomain

@Suite("Normalizer")
struct NormalizerTests {
    private struct FailingAdapter: OrderAdapter {
        struct Oops: Error, CustomStringConvertible { var description: String { "adapter bug" } }
        let channel = "failing"
        func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder { throw Oops() }
    }

    private struct ContextEcho: OrderAdapter {
        let channel = "echo"
        func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
            let eur = Currency(code: "EUR")!
            return CanonicalOrder(
                channel: "echo", externalId: try root["id"].id(), status: .received,
                placedAt: UTCTimestamp(epochMilliseconds: context.handlingTimeSeconds), currency: eur,
                totals: .onlyGrand(.zero(eur)))
        }
    }

    private func refusal(
        channel: String = "canonical", _ body: [UInt8], using normalizer: Normalizer = .standard
    ) -> NormalizationError? {
        normalizationError { try normalizer.normalizeOrder(channel: channel, body: body) }
    }

    private func refusal(channel: String = "canonical", _ body: String) -> NormalizationError? {
        refusal(channel: channel, Array(body.utf8))
    }

    @Test func standardKnowsTheCanonicalChannelAndSource() {
        #expect(Normalizer.standard.orderChannels.contains("canonical"))
        #expect(Normalizer.standard.shipmentSources.contains("canonical"))
        #expect(Normalizer.standard.orderChannels == Normalizer.standard.orderChannels.sorted())
    }

    @Test func bodiesOverTheLimitAreRefusedBeforeParsing() throws {
        let small = Normalizer(
            orderAdapters: [CanonicalOrderAdapter()], shipmentAdapters: [],
            limits: NormalizationLimits(maxBodyBytes: 16))
        // Not even JSON: the size check comes first.
        let error = try #require(refusal(Array(repeating: UInt8(ascii: "x"), count: 17), using: small))
        #expect(error.code == .tooLarge)
        #expect(refusal(Array(repeating: UInt8(ascii: "x"), count: 16), using: small)?.code == .notJSON)
        let defaultLimit = refusal([UInt8](repeating: 0x20, count: (1 << 20) + 1))
        #expect(defaultLimit?.code == .tooLarge)
    }

    @Test func invalidUTF8() {
        #expect(refusal([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0x80, 0x22, 0x7D])?.code == .invalidUTF8)
        #expect(refusal([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00])?.code == .invalidUTF8)  // UTF-16 with BOM
    }

    @Test func notJSONNamesTheByteOffset() throws {
        let error = try #require(refusal("{\"externalId\": 1,}"))
        #expect(error.code == .notJSON)
        #expect(error.field == nil)
        #expect(error.reason.contains("at byte 17"))
        #expect(refusal("")?.code == .notJSON)
        #expect(refusal("{} trailing")?.code == .notJSON)
    }

    @Test func tooDeep() {
        #expect(
            refusal(String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65))?.code == .tooDeep
        )
        #expect(refusal(Array(repeating: UInt8(ascii: "["), count: 1 << 20))?.code == .tooDeep)
        let shallow = Normalizer(
            orderAdapters: [CanonicalOrderAdapter()], shipmentAdapters: [],
            limits: NormalizationLimits(maxDepth: 2))
        #expect(refusal(Array(#"{"a": {"b": {}}}"#.utf8), using: shallow)?.code == .tooDeep)
    }

    @Test func jsonThatIsNotAnObject() {
        for body in ["[]", "[{}]", "1", "\"order\"", "null", "true"] {
            #expect(refusal(body)?.code == .notObject, "\(body)")
        }
    }

    @Test func unknownChannelsAndSources() throws {
        #expect(refusal(channel: "myspace", "{}")?.code == .unknownChannel)
        #expect(refusal(channel: "", "{}")?.code == .unknownChannel)
        let error = try #require(throws: NormalizationError.self) {
            try Normalizer.standard.normalizeShipment(source: "carrier-pigeon", body: Array("{}".utf8))
        }
        #expect(error.code == .unknownChannel)
        #expect(error.reason.contains("carrier-pigeon"))
    }

    @Test func adapterErrorsOfOtherTypesBecomeInvalidField() throws {
        let normalizer = Normalizer(orderAdapters: [FailingAdapter()], shipmentAdapters: [])
        let error = try #require(refusal(channel: "failing", Array("{}".utf8), using: normalizer))
        #expect(error.code == .invalidField)
        #expect(error.reason == "adapter bug")
    }

    @Test func contextReachesTheAdapter() throws {
        let normalizer = Normalizer(
            orderAdapters: [ContextEcho()], shipmentAdapters: [],
            context: NormalizationContext(handlingTimeSeconds: 7))
        let order = try normalizer.normalizeOrder(channel: "echo", body: Array(#"{"id": 42}"#.utf8))
        #expect(order.externalId == "42")
        #expect(order.placedAt.epochMilliseconds == 7)
    }

    @Test func laterRegistrationsReplaceEarlierOnes() throws {
        let normalizer = Normalizer(
            orderAdapters: [CanonicalOrderAdapter(), ContextEcho(), ContextEcho()], shipmentAdapters: [])
        #expect(normalizer.orderChannels == ["canonical", "echo"])
    }
}
