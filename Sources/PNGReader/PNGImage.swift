/// The samples of a PNG image exactly as stored.
public enum PNGSamples: Sendable, Equatable {
    /// Bit depths 1, 2, 4 and 8: one `UInt8` per sample, unpacked (a 2-bit sample is 0...3;
    /// palette images hold palette indices).
    case uint8([UInt8])
    /// Bit depth 16: one `UInt16` per sample.
    case uint16([UInt16])
}

/// tRNS transparency information.
public enum PNGTransparency: Sendable, Equatable {
    /// Alpha per palette entry (entries past the end are opaque).
    case palette([UInt8])
    /// Gray value (in the image's bit depth) that is fully transparent.
    case gray(UInt16)
    /// RGB value (in the image's bit depth) that is fully transparent.
    case rgb(UInt16, UInt16, UInt16)
}

/// An embedded ICC profile (iCCP chunk).
public struct PNGICCProfile: Sendable, Equatable {
    /// The profile name.
    public var name: String
    /// The decompressed profile.
    public var data: [UInt8]

    /// Creates a profile value.
    /// - Parameters:
    ///   - name: The profile name.
    ///   - data: The decompressed profile.
    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }
}

/// A decoded PNG: the stored samples in row-major, interleaved order, plus metadata.
public struct PNGImage: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// IHDR colour type.
    public var colorType: PNGColorType
    /// IHDR bit depth (1, 2, 4, 8 or 16).
    public var bitDepth: Int
    /// Whether the file was Adam7-interlaced (the samples are always de-interlaced).
    public var interlaced: Bool
    /// `width * height * colorType.channels` samples.
    public var samples: PNGSamples
    /// PLTE entries as R, G, B triples (empty if there is no PLTE chunk).
    public var palette: [UInt8]
    /// tRNS chunk, if present.
    public var transparency: PNGTransparency?
    /// iCCP chunk, if present and readable.
    public var iccProfile: PNGICCProfile?
    /// gAMA value (gamma × 100000), if present.
    public var gamma: UInt32?
    /// sRGB rendering intent, if present.
    public var srgbIntent: UInt8?

    /// Number of palette entries.
    public var paletteCount: Int { palette.count / 3 }

    /// Converts to 8-bit RGB for training and display.
    ///
    /// Rules: palette indices are expanded through PLTE; gray is copied to R, G and B;
    /// 1/2/4-bit gray is scaled by v·255/(2^depth − 1) (exact: bit replication); 16-bit
    /// samples are rounded to nearest, v8 = (v + 128) / 257 = round(v·255/65535) (never a
    /// tie since 257 is odd). Alpha (an alpha channel, palette tRNS alpha, or alpha 0 for
    /// pixels equal to a gray/RGB tRNS key) is composited over white with one rounding:
    /// out = round((c·a + max·(max − a)) / max) in the source depth (max = 2^depth − 1 for
    /// 8-bit data; for 16-bit data the result is rounded once directly to 8 bits:
    /// round((c·a + 65535·(65535 − a))·255 / 65535²)).
    /// - Returns: `width * height * 3` bytes.
    public func rgb8() -> [UInt8] {
        if colorType == .rgb, transparency == nil, case .uint8(let s) = samples { return s }
        let n = width * height
        var out = [UInt8](repeating: 0, count: n * 3)
        out.withUnsafeMutableBufferPointer { o in
            forEachPixel { i, r, g, b, a, max in
                if max == 255 {
                    if a == 255 {
                        o[3 * i] = UInt8(r); o[3 * i + 1] = UInt8(g); o[3 * i + 2] = UInt8(b)
                    } else {
                        let w = 255 * (255 - a)
                        o[3 * i] = UInt8((2 * (r * a + w) + 255) / 510)
                        o[3 * i + 1] = UInt8((2 * (g * a + w) + 255) / 510)
                        o[3 * i + 2] = UInt8((2 * (b * a + w) + 255) / 510)
                    }
                } else {
                    if a == 65535 {
                        o[3 * i] = UInt8((r + 128) / 257)
                        o[3 * i + 1] = UInt8((g + 128) / 257)
                        o[3 * i + 2] = UInt8((b + 128) / 257)
                    } else {
                        let w = UInt64(65535 * (65535 - a))
                        let den: UInt64 = 65535 * 65535
                        o[3 * i] = UInt8((2 * (UInt64(r * a) + w) * 255 + den) / (2 * den))
                        o[3 * i + 1] = UInt8((2 * (UInt64(g * a) + w) * 255 + den) / (2 * den))
                        o[3 * i + 2] = UInt8((2 * (UInt64(b * a) + w) * 255 + den) / (2 * den))
                    }
                }
            }
        }
        return out
    }

    /// Converts to 8-bit RGBA following PngSuite's reference rules (those of its `.rgba`
    /// files): palette colour with tRNS alpha (255 past the tRNS entries); gray copied to
    /// R, G and B; 1/2/4-bit gray scaled by bit replication; 16-bit samples keep their high
    /// byte (v >> 8); gray/RGB pixels equal to the tRNS key get alpha 0, others 255.
    /// Ancillary chunks such as gAMA are not applied.
    /// - Returns: `width * height * 4` bytes.
    public func rgba8() -> [UInt8] {
        let n = width * height
        var out = [UInt8](repeating: 0, count: n * 4)
        out.withUnsafeMutableBufferPointer { o in
            forEachPixel { i, r, g, b, a, max in
                if max == 255 {
                    o[4 * i] = UInt8(r); o[4 * i + 1] = UInt8(g); o[4 * i + 2] = UInt8(b); o[4 * i + 3] = UInt8(a)
                } else {
                    o[4 * i] = UInt8(r >> 8); o[4 * i + 1] = UInt8(g >> 8)
                    o[4 * i + 2] = UInt8(b >> 8); o[4 * i + 3] = UInt8(a >> 8)
                }
            }
        }
        return out
    }

    /// Calls `body(index, r, g, b, a, max)` per pixel with samples scaled to 8 bits
    /// (max 255) for depths ≤ 8 or kept at 16 bits (max 65535).
    @inline(__always)
    private func forEachPixel(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let n = width * height
        switch samples {
        case .uint8(let s):
            let scale = bitDepth == 1 ? 255 : bitDepth == 2 ? 85 : bitDepth == 4 ? 17 : 1
            s.withUnsafeBufferPointer { s in
                switch colorType {
                case .gray:
                    var key = -1
                    if case .gray(let k)? = transparency { key = Int(k) }
                    for i in 0..<n {
                        let v = Int(s[i])
                        let g = v * scale
                        body(i, g, g, g, v == key ? 0 : 255, 255)
                    }
                case .grayAlpha:
                    for i in 0..<n {
                        let g = Int(s[2 * i])
                        body(i, g, g, g, Int(s[2 * i + 1]), 255)
                    }
                case .rgb:
                    var key = (-1, -1, -1)
                    if case let .rgb(r, g, b)? = transparency { key = (Int(r), Int(g), Int(b)) }
                    for i in 0..<n {
                        let r = Int(s[3 * i]), g = Int(s[3 * i + 1]), b = Int(s[3 * i + 2])
                        body(i, r, g, b, (r, g, b) == key ? 0 : 255, 255)
                    }
                case .rgba:
                    for i in 0..<n {
                        body(i, Int(s[4 * i]), Int(s[4 * i + 1]), Int(s[4 * i + 2]), Int(s[4 * i + 3]), 255)
                    }
                case .palette:
                    var alpha = [UInt8](repeating: 255, count: 256)
                    if case .palette(let t)? = transparency {
                        for k in 0..<min(256, t.count) { alpha[k] = t[k] }
                    }
                    let count = paletteCount
                    for i in 0..<n {
                        let p = Int(s[i])
                        if p < count {
                            body(i, Int(palette[3 * p]), Int(palette[3 * p + 1]), Int(palette[3 * p + 2]), Int(alpha[p]), 255)
                        } else {
                            body(i, 0, 0, 0, 255, 255)
                        }
                    }
                }
            }
        case .uint16(let s):
            s.withUnsafeBufferPointer { s in
                switch colorType {
                case .gray:
                    var key = -1
                    if case .gray(let k)? = transparency { key = Int(k) }
                    for i in 0..<n {
                        let g = Int(s[i])
                        body(i, g, g, g, g == key ? 0 : 65535, 65535)
                    }
                case .grayAlpha:
                    for i in 0..<n {
                        let g = Int(s[2 * i])
                        body(i, g, g, g, Int(s[2 * i + 1]), 65535)
                    }
                case .rgb:
                    var key = (-1, -1, -1)
                    if case let .rgb(r, g, b)? = transparency { key = (Int(r), Int(g), Int(b)) }
                    for i in 0..<n {
                        let r = Int(s[3 * i]), g = Int(s[3 * i + 1]), b = Int(s[3 * i + 2])
                        body(i, r, g, b, (r, g, b) == key ? 0 : 65535, 65535)
                    }
                case .rgba:
                    for i in 0..<n {
                        body(i, Int(s[4 * i]), Int(s[4 * i + 1]), Int(s[4 * i + 2]), Int(s[4 * i + 3]), 65535)
                    }
                case .palette:
                    break // not a valid combination; the decoder never produces it
                }
            }
        }
    }
}
