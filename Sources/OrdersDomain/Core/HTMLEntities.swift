/// HTML character references, as WooCommerce (and others) leave them in product and customer names.
enum HTMLEntities {
    static func decode(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
        let scalars = Array(s.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let (decoded, next) = reference(in: scalars, at: index) {
                result.append(contentsOf: decoded)
                index = next
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// The longest reference we look for: "&" + 31 characters + ";".
    private static let maxLength = 33

    /// The decoded scalars of a reference starting at `start` ('&') and the index after its ';'.
    private static func reference(in scalars: [Unicode.Scalar], at start: Int) -> ([Unicode.Scalar], Int)? {
        let limit = min(scalars.count, start + maxLength)
        guard let end = (start + 1..<limit).first(where: { scalars[$0] == ";" }), end > start + 1 else { return nil }
        let body = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        if body.hasPrefix("#") {
            guard let scalar = numeric(body.dropFirst()) else { return nil }
            return ([scalar], end + 1)
        }
        guard let value = named[body], let scalar = Unicode.Scalar(value) else { return nil }
        return ([scalar], end + 1)
    }

    /// "#8211" / "#x2013" as HTML decodes them: 0, surrogates and values beyond U+10FFFF become
    /// U+FFFD; 0x80-0x9F are read as Windows-1252 (what a page in that encoding meant).
    private static func numeric(_ digits: Substring) -> Unicode.Scalar? {
        let isHex = digits.first == "x" || digits.first == "X"
        let text = isHex ? digits.dropFirst() : digits
        guard !text.isEmpty, text.count <= 8, let value = UInt32(text, radix: isHex ? 16 : 10) else { return nil }
        if let windows1252 = windows1252[value] { return Unicode.Scalar(windows1252) }
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return "\u{FFFD}" }
        return Unicode.Scalar(value)
    }

    private static let windows1252: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    /// Named references: the HTML 4 set (Latin-1, typography, symbols) plus the HTML5 names for
    /// Central European letters and common ASCII punctuation.
    static let named: [String: UInt32] = {
        var table: [String: UInt32] = [
            "quot": 0x22, "amp": 0x26, "apos": 0x27, "lt": 0x3C, "gt": 0x3E,
            "excl": 0x21, "num": 0x23, "dollar": 0x24, "percnt": 0x25, "lpar": 0x28, "rpar": 0x29, "ast": 0x2A,
            "plus": 0x2B, "comma": 0x2C, "period": 0x2E, "sol": 0x2F, "colon": 0x3A, "semi": 0x3B, "equals": 0x3D,
            "quest": 0x3F, "commat": 0x40, "lsqb": 0x5B, "lbrack": 0x5B, "bsol": 0x5C, "rsqb": 0x5D, "rbrack": 0x5D,
            "lowbar": 0x5F, "grave": 0x60, "lcub": 0x7B, "lbrace": 0x7B, "verbar": 0x7C, "vert": 0x7C,
            "rcub": 0x7D, "rbrace": 0x7D,
            "Aogon": 0x104, "aogon": 0x105, "Cacute": 0x106, "cacute": 0x107, "Ccaron": 0x10C, "ccaron": 0x10D,
            "Dcaron": 0x10E, "dcaron": 0x10F, "Eogon": 0x118, "eogon": 0x119, "Ecaron": 0x11A, "ecaron": 0x11B,
            "Gbreve": 0x11E, "gbreve": 0x11F, "Idot": 0x130, "imath": 0x131, "inodot": 0x131,
            "Lstrok": 0x141, "lstrok": 0x142, "Nacute": 0x143, "nacute": 0x144, "Ncaron": 0x147, "ncaron": 0x148,
            "Odblac": 0x150, "odblac": 0x151, "OElig": 0x152, "oelig": 0x153, "Rcaron": 0x158, "rcaron": 0x159,
            "Sacute": 0x15A, "sacute": 0x15B, "Scedil": 0x15E, "scedil": 0x15F, "Scaron": 0x160, "scaron": 0x161,
            "Tcaron": 0x164, "tcaron": 0x165, "Uring": 0x16E, "uring": 0x16F, "Udblac": 0x170, "udblac": 0x171,
            "Yuml": 0x178, "Zacute": 0x179, "zacute": 0x17A, "Zdot": 0x17B, "zdot": 0x17C, "Zcaron": 0x17D,
            "zcaron": 0x17E, "fnof": 0x192, "circ": 0x2C6, "tilde": 0x2DC,
            "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "zwnj": 0x200C, "zwj": 0x200D, "lrm": 0x200E,
            "rlm": 0x200F, "hyphen": 0x2010, "dash": 0x2010, "ndash": 0x2013, "mdash": 0x2014, "lsquo": 0x2018,
            "rsquo": 0x2019, "sbquo": 0x201A, "ldquo": 0x201C, "rdquo": 0x201D, "bdquo": 0x201E,
            "dagger": 0x2020, "Dagger": 0x2021, "bull": 0x2022, "hellip": 0x2026, "permil": 0x2030,
            "prime": 0x2032, "Prime": 0x2033, "lsaquo": 0x2039, "rsaquo": 0x203A, "oline": 0x203E,
            "frasl": 0x2044, "euro": 0x20AC, "trade": 0x2122, "TRADE": 0x2122, "larr": 0x2190, "uarr": 0x2191,
            "rarr": 0x2192, "darr": 0x2193, "harr": 0x2194, "minus": 0x2212, "infin": 0x221E, "le": 0x2264,
            "ge": 0x2265, "ne": 0x2260, "asymp": 0x2248, "check": 0x2713, "star": 0x2606, "starf": 0x2605,
            "hearts": 0x2665, "Omega": 0x3A9, "mu": 0x3BC, "pi": 0x3C0,
            "AMP": 0x26, "LT": 0x3C, "GT": 0x3E, "QUOT": 0x22, "COPY": 0xA9, "REG": 0xAE,
        ]
        // U+00A0...U+00FF in code point order (the HTML 4 Latin-1 entities).
        let latin1 = [
            "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo",
            "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
            "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
            "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
            "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc",
            "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
            "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute",
            "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc",
            "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
        ]
        for (offset, name) in latin1.enumerated() { table[name] = 0xA0 + UInt32(offset) }
        return table
    }()
}
