/// The fixed tables of RFC 1951 §3.2.5: length and distance symbols, their base values and
/// extra-bit counts.
enum DeflateTables {
    /// Base match length of length symbols 257...285.
    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    /// Extra bits of length symbols 257...285.
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                     3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// Base distance of distance symbols 0...29.
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                      257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                      8193, 12289, 16385, 24577]
    /// Extra bits of distance symbols 0...29.
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                       7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// Order in which code-length code lengths are sent (RFC 1951 §3.2.7).
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Length symbol index (0...28, i.e. symbol − 257) for each match length − 3 (0...255).
    static let lengthSymbol: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for code in 0..<29 {
            let lo = lengthBase[code] - 3
            let hi = code == 28 ? 255 : min(255, lengthBase[code] - 3 + (1 << lengthExtra[code]) - 1)
            if code == 27 {
                for v in lo...254 { t[v] = UInt8(code) }
            } else if code == 28 {
                t[255] = 28
            } else {
                for v in lo...hi { t[v] = UInt8(code) }
            }
        }
        return t
    }()

    /// Distance symbol for distance − 1: index `d` if `d < 256`, else `256 + d >> 7`.
    static let distanceSymbol: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 512)
        for code in 0..<30 {
            let lo = distanceBase[code] - 1
            let hi = lo + (1 << distanceExtra[code]) - 1
            for d in lo...hi {
                if d < 256 { t[d] = UInt8(code) } else { t[256 + (d >> 7)] = UInt8(code) }
            }
        }
        return t
    }()

    /// Fixed literal/length code lengths (RFC 1951 §3.2.6), 288 symbols.
    static let fixedLiteralLengths: [UInt8] = (0..<288).map { s in
        s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8
    }
}
