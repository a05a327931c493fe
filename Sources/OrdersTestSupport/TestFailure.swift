/// Why a test's setup or wait failed (a server that did not start, a condition never met).
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
