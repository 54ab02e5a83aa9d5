import JPEGCodec

/// The re-encode the cleaner undoes, simulated exactly: our encoder is byte-identical with
/// Pillow/libjpeg, and our decoder pixel-identical with libjpeg-turbo's.
///
/// Optionally the image was a JPEG before (``earlier``): it is first encoded at another
/// quality and sampling on a grid shifted by a few pixels, decoded, sometimes downscaled
/// (as a service does to a phone's photo), and only then given the final encode.
public struct Degradation: Equatable, Sendable {
    /// JPEG quality 1…100 (Twitter: 85); ignored when ``quantizationTables`` is set.
    public var quality: Int
    /// Chroma subsampling (Twitter: 4:2:0).
    public var subsampling: EncoderOptions.Subsampling
    /// Custom tables (luma, chroma), natural order, instead of libjpeg's at ``quality``.
    public var quantizationTables: [[UInt16]]?
    /// An encode the image went through before this one, or nil.
    public var earlier: EarlierEncode?

    /// A JPEG encode before the last one.
    public struct EarlierEncode: Equatable, Sendable {
        /// Its quality and sampling.
        public var quality: Int
        public var subsampling: EncoderOptions.Subsampling
        /// Its 8×8 grid's offset from the final one, 0…7 px each way.
        public var shiftX: Int
        public var shiftY: Int
        /// After the earlier decode, the image is downscaled by this factor (0.25…1; 1: not).
        public var scale: Float

        public init(quality: Int, subsampling: EncoderOptions.Subsampling, shiftX: Int, shiftY: Int, scale: Float = 1) {
            self.quality = quality
            self.subsampling = subsampling
            self.shiftX = shiftX
            self.shiftY = shiftY
            self.scale = scale
        }
    }

    /// A degradation; the default is Twitter's re-encode.
    public init(quality: Int = 85, subsampling: EncoderOptions.Subsampling = .yuv420,
                quantizationTables: [[UInt16]]? = nil, earlier: EarlierEncode? = nil) {
        self.quality = quality
        self.subsampling = subsampling
        self.quantizationTables = quantizationTables
        self.earlier = earlier
    }

    /// The JPEG file Pillow would write for `image` (the final encode only).
    public func encode(_ image: RasterImage) throws -> [UInt8] {
        try JPEGEncoder.encode(image, options: EncoderOptions(quality: quality, subsampling: subsampling,
                                                              quantizationTables: quantizationTables))
    }

    /// `image` after the round trip through a JPEG file: the plain decode and its coefficients.
    /// With an ``earlier`` encode that downscales, the decode is smaller than `image`: use
    /// ``apply(toClean:)``, which also gives the matching clean target.
    public func apply(to image: RasterImage) throws -> CleanerInput {
        try apply(toClean: image).degraded
    }

    /// The clean target and the degraded decode of `image`. Without a downscale the target is
    /// `image` itself (the cleaner should undo both encodes); with one, it is `image`
    /// downscaled the same way, the best the cleaner can do.
    public func apply(toClean image: RasterImage) throws -> (clean: RasterImage, degraded: CleanerInput) {
        guard let earlier else { return (image, CleanerInput(try JPEGDecoder.decode(try encode(image)))) }
        // The earlier grid starts (shiftX, shiftY) px before the image: pad by edge
        // replication, encode, decode, and cut the padding off again.
        let padded = image.edgePadded(left: earlier.shiftX, top: earlier.shiftY)
        let first = try JPEGDecoder.decode(try JPEGEncoder.encode(
            padded, options: EncoderOptions(quality: earlier.quality, subsampling: earlier.subsampling))).image
        var intermediate = first.cropped(x: earlier.shiftX, y: earlier.shiftY, width: image.width, height: image.height)
        var clean = image
        if earlier.scale < 1 {
            intermediate = intermediate.downscaled(by: earlier.scale)
            clean = clean.downscaled(by: earlier.scale)
        }
        return (clean, CleanerInput(try JPEGDecoder.decode(try encode(intermediate))))
    }
}

extension RasterImage {
    /// The image with `left` columns and `top` rows of its edge replicated before it.
    func edgePadded(left: Int, top: Int) -> RasterImage {
        guard left > 0 || top > 0 else { return self }
        let w = width + left, h = height + top, c = channels
        var out = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h {
            let sy = max(y - top, 0)
            for x in 0..<w {
                let sx = max(x - left, 0)
                for k in 0..<c { out[(y * w + x) * c + k] = pixels[(sy * width + sx) * c + k] }
            }
        }
        return RasterImage(width: w, height: h, channels: c, pixels: out)
    }

    /// The image downscaled by `factor` (0 < factor ≤ 1) with an area (box) filter: each
    /// output pixel is the coverage-weighted mean of the input pixels under it, rounded.
    func downscaled(by factor: Float) -> RasterImage {
        let w = max(8, Int((Float(width) * factor).rounded())), h = max(8, Int((Float(height) * factor).rounded()))
        guard w < width || h < height else { return self }
        // Separable: columns first, then rows, each a 1-D area resampling.
        func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
            let ratio = Double(n) / Double(m)
            return (0..<m).map { o in
                let a = Double(o) * ratio, b = a + ratio
                var taps: [(Int, Float)] = []
                var i = Int(a)
                while Double(i) < b && i < n {
                    let cover = min(b, Double(i + 1)) - max(a, Double(i))
                    if cover > 0 { taps.append((i, Float(cover / ratio))) }
                    i += 1
                }
                return taps
            }
        }
        let wx = weights(from: width, to: w), wy = weights(from: height, to: h), c = channels
        var rows = [Float](repeating: 0, count: w * height * c)
        for y in 0..<height {
            for x in 0..<w {
                for (i, f) in wx[x] {
                    for k in 0..<c { rows[(y * w + x) * c + k] += f * Float(pixels[(y * width + i) * c + k]) }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h {
            for x in 0..<w {
                for k in 0..<c {
                    var s: Float = 0
                    for (j, f) in wy[y] { s += f * rows[(j * w + x) * c + k] }
                    out[(y * w + x) * c + k] = UInt8(min(max(s.rounded(), 0), 255))
                }
            }
        }
        return RasterImage(width: w, height: h, channels: c, pixels: out)
    }
}
