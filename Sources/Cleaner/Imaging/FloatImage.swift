import JPEGCodec

/// An image of `Float` samples: `height` rows of `width` pixels, each pixel `channels`
/// interleaved samples (the layout of `RasterImage`, "HWC"). The scale is described by
/// whoever made it, usually a ``SampleNormalization`` of the 8-bit scale.
public struct FloatImage: Equatable, Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Samples per pixel (1 or 3 in practice; any count ≥ 1 is accepted).
    public var channels: Int
    /// `width · height · channels` samples, row-major, channel-interleaved.
    public var samples: [Float]

    /// Wraps `samples`; `samples.count` must be `width · height · channels`.
    public init(width: Int, height: Int, channels: Int, samples: [Float]) {
        precondition(width >= 0 && height >= 0 && channels >= 1 &&
                     samples.count == width * height * channels,
                     "FloatImage sample count must be width × height × channels")
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    /// The samples of an 8-bit image, normalised: `(x − offset) · scale` per sample (rows
    /// split among `threads`; the values do not depend on it).
    public init(_ image: RasterImage, normalization: SampleNormalization = .identity, threads: Int = 1) {
        let n = image.pixels.count, rowSamples = image.width * image.channels
        var s = [Float].unfilled(n)  // every sample written below
        let o = normalization.offset, k = normalization.scale
        image.pixels.withUnsafeBufferPointer { src in
            s.withUnsafeMutableBufferPointer { dst in
                let input = SharedInput(src), out = SharedOutput(dst)
                RowBands.run(image.height, samplesPerRow: rowSamples, threads: threads) { rows in
                    for i in (rows.lowerBound * rowSamples)..<(rows.upperBound * rowSamples) {
                        out.base[i] = (Float(input.base[i]) - o) * k
                    }
                }
            }
        }
        self.init(width: image.width, height: image.height, channels: image.channels, samples: s)
    }

    /// Interleaves planes of one size (one per channel).
    public init(planes: [Plane], threads: Int = 1) {
        precondition(!planes.isEmpty, "at least one plane")
        let w = planes[0].width, h = planes[0].height, c = planes.count
        precondition(planes.allSatisfy { $0.width == w && $0.height == h }, "planes differ in size")
        var s = [Float].unfilled(w * h * c)  // every sample written below (each channel in turn)
        s.withUnsafeMutableBufferPointer { dst in
            let out = SharedOutput(dst)
            for ch in 0..<c {
                planes[ch].samples.withUnsafeBufferPointer { src in
                    let input = SharedInput(src)
                    RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) { out.base[i * c + ch] = input.base[i] }
                    }
                }
            }
        }
        self.init(width: w, height: h, channels: c, samples: s)
    }

    /// The channels as separate planes.
    public func planes(threads: Int = 1) -> [Plane] {
        let n = width * height, c = channels, w = width
        return (0..<c).map { ch in
            var p = [Float].unfilled(n)  // every sample written below
            samples.withUnsafeBufferPointer { src in
                p.withUnsafeMutableBufferPointer { dst in
                    let input = SharedInput(src), out = SharedOutput(dst)
                    RowBands.run(height, samplesPerRow: w, threads: threads) { rows in
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) { out.base[i] = input.base[i * c + ch] }
                    }
                }
            }
            return Plane(width: width, height: height, samples: p)
        }
    }

    /// Back to 8 bits: each sample de-normalised (`x / scale + offset`), rounded to the
    /// nearest integer and clamped to 0…255. Requires 1 or 3 channels.
    public func rasterImage(normalization: SampleNormalization = .identity, threads: Int = 1) -> RasterImage {
        var px = [UInt8].unfilled(samples.count)  // all written below
        let o = normalization.offset, inv = 1 / normalization.scale, rowSamples = width * channels
        samples.withUnsafeBufferPointer { src in
            px.withUnsafeMutableBufferPointer { dst in
                let input = SharedInput(src), out = SharedOutput(dst)
                RowBands.run(height, samplesPerRow: rowSamples, threads: threads) { rows in
                    var i = rows.lowerBound * rowSamples
                    let end = rows.upperBound * rowSamples
                    let from = UnsafeRawPointer(input.base), to = UnsafeMutableRawPointer(out.base)
                    while i + 8 <= end {
                        let v = from.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                        to.storeBytes(of: ColourConversion.quantize8(v * inv + o), toByteOffset: i, as: SIMD8<UInt8>.self)
                        i += 8
                    }
                    for i in i..<end { out.base[i] = ColourConversion.quantize8(input.base[i] * inv + o) }
                }
            }
        }
        return RasterImage(width: width, height: height, channels: channels, pixels: px)
    }
}
