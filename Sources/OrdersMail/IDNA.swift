import Foundation

/// Internationalised domain names as SMTP and the headers carry them (RFC 5891): each label that
/// is not ASCII becomes "xn--" and its Punycode (RFC 3492), after NFC and lower case.
public enum IDNA {
    /// `bücher.de` → `xn--bcher-kva.de`; nil when a label cannot be a DNS label (empty, over 63
    /// characters as ASCII, or the whole name over 253).
    public static func asciiDomain(_ domain: String) -> String? {
        var labels: [String] = []
        for label in domain.precomposedStringWithCanonicalMapping.lowercased().split(
            separator: ".", omittingEmptySubsequences: false)
        {
            let ascii: String
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                ascii = String(label)
            } else {
                guard let encoded = punycode(String(label)) else { return nil }
                ascii = "xn--" + encoded
            }
            guard (1...63).contains(ascii.utf8.count) else { return nil }
            labels.append(ascii)
        }
        let result = labels.joined(separator: ".")
        return result.utf8.count <= 253 ? result : nil
    }

    /// RFC 3492 Punycode of one label ("bücher" → "bcher-kva").
    public static func punycode(_ label: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        if basicCount > 0 { output.append("-") }
        func digit(_ value: Int) -> Character {
            Character(Unicode.Scalar(UInt8(value < 26 ? value + 97 : value - 26 + 48)))
        }
        func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / points
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        var n = 0x80, delta = 0, bias = 72, handled = basicCount
        while handled < input.count {
            guard let next = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += product
            n = next
            for code in input {
                if code < n { delta += 1 }
                if code == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}
