import JPEGCodec

/// Image quality measures between an original and a result of the same size and channel
/// count (8-bit images).
public enum Metrics {
    /// Mean squared error over all pixels and channels, on the 8-bit scale.
    public static func meanSquaredError(_ a: RasterImage, _ b: RasterImage) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.channels == b.channels,
                     "images differ in shape")
        let n = a.pixels.count
        precondition(n > 0, "empty image")
        var sum: UInt64 = 0
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for i in 0..<n {
                    let d = Int(p[i]) - Int(q[i])
                    sum += UInt64(d * d)
                }
            }
        }
        return Double(sum) / Double(n)
    }

    /// PSNR in dB for a mean squared error on the 8-bit scale: `10·log10(255² / mse)`;
    /// `+∞` when `mse` is 0.
    public static func psnr(meanSquaredError mse: Double) -> Double {
        mse == 0 ? .infinity : 10 * ElementaryFunctions.log10(255 * 255 / mse)
    }

    /// PSNR in dB (peak 255) over all pixels and all channels together; `+∞` for identical
    /// images.
    public static func psnr(_ original: RasterImage, _ result: RasterImage) -> Double {
        psnr(meanSquaredError: meanSquaredError(original, result))
    }

    /// PSNR in dB (peak 255) of each channel separately (R, G, B for RGB images).
    public static func channelPSNR(_ original: RasterImage, _ result: RasterImage) -> [Double] {
        precondition(original.width == result.width && original.height == result.height &&
                     original.channels == result.channels, "images differ in shape")
        let c = original.channels, n = original.width * original.height
        precondition(n > 0, "empty image")
        var sums = [UInt64](repeating: 0, count: c)
        original.pixels.withUnsafeBufferPointer { p in
            result.pixels.withUnsafeBufferPointer { q in
                for i in 0..<n {
                    for ch in 0..<c {
                        let d = Int(p[i * c + ch]) - Int(q[i * c + ch])
                        sums[ch] += UInt64(d * d)
                    }
                }
            }
        }
        return sums.map { psnr(meanSquaredError: Double($0) / Double(n)) }
    }

    /// Which signal SSIM is computed on.
    public enum SSIMChannels: Sendable {
        /// The luma Y = 0.299R + 0.587G + 0.114B (unrounded), the usual choice for
        /// JPEG-artifact papers. A gray image is its own luma.
        case luma
        /// The SSIM of R, G and B computed separately and averaged.
        case rgbMean
    }

    /// Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004) with the standard
    /// parameters: an 11×11 Gaussian window with σ = 1.5 (normalised to sum 1),
    /// K1 = 0.01, K2 = 0.03, dynamic range L = 255, so C1 = (0.01·255)², C2 = (0.03·255)².
    /// The SSIM map is computed at every position where the window fits entirely inside
    /// the image (the "valid" region, as the authors' MATLAB code does, no downsampling) and
    /// averaged. Along an axis shorter than 11 pixels the window is truncated to the image's
    /// length (the central part of the Gaussian, renormalised). 1 for identical images.
    public static func ssim(_ original: RasterImage, _ result: RasterImage,
                            channels: SSIMChannels = .luma) -> Double {
        precondition(original.width == result.width && original.height == result.height &&
                     original.channels == result.channels, "images differ in shape")
        precondition(original.width > 0 && original.height > 0, "empty image")
        let a = signals(original, channels), b = signals(result, channels)
        var total = 0.0
        for i in a.indices {
            total += ssim(a[i], b[i], width: original.width, height: original.height)
        }
        return total / Double(a.count)
    }

    /// The share of the original's pure-white (255, 255, 255) pixels that are exactly
    /// (255, 255, 255) in the result (for gray images: value 255). `total` is the number of
    /// white pixels in the original, `kept` how many of them stayed white; `fraction` is
    /// `kept / total`, nil when the original has no white pixel.
    public static func whiteKept(original: RasterImage, result: RasterImage)
        -> (kept: Int, total: Int, fraction: Double?) {
        precondition(original.width == result.width && original.height == result.height &&
                     original.channels == result.channels, "images differ in shape")
        let c = original.channels, n = original.width * original.height
        var kept = 0, total = 0
        original.pixels.withUnsafeBufferPointer { p in
            result.pixels.withUnsafeBufferPointer { q in
                for i in 0..<n {
                    var white = true, stays = true
                    for ch in 0..<c {
                        if p[i * c + ch] != 255 { white = false }
                        if q[i * c + ch] != 255 { stays = false }
                    }
                    if white {
                        total += 1
                        if stays { kept += 1 }
                    }
                }
            }
        }
        return (kept, total, total == 0 ? nil : Double(kept) / Double(total))
    }

    /// The 1-D Gaussian of σ = 1.5 sampled at −r…r (r ≤ 5), normalised to sum 1.
    static func gaussian(radiusLeft: Int, length: Int) -> [Double] {
        let g = (0..<length).map { i -> Double in
            let x = Double(i - radiusLeft)
            return ElementaryFunctions.exp(-x * x / (2 * 1.5 * 1.5))
        }
        let s = g.reduce(0, +)
        return g.map { $0 / s }
    }

    static func signals(_ image: RasterImage, _ mode: SSIMChannels) -> [[Double]] {
        let c = image.channels, n = image.width * image.height
        if c == 3 && mode == .luma {
            return [(0..<n).map { (i: Int) -> Double in
                let r = Double(image.pixels[i * 3]), g = Double(image.pixels[i * 3 + 1])
                let b = Double(image.pixels[i * 3 + 2])
                return 0.299 * r + 0.587 * g + 0.114 * b
            }]
        }
        return (0..<c).map { ch in (0..<n).map { Double(image.pixels[$0 * c + ch]) } }
    }

    /// Mean SSIM of two planes over the valid region.
    static func ssim(_ x: [Double], _ y: [Double], width w: Int, height h: Int) -> Double {
        let kw = min(11, w), kh = min(11, h)
        // The truncated window keeps the Gaussian's centre: left radius (k − 1) / 2.
        let gx = gaussian(radiusLeft: (kw - 1) / 2, length: kw)
        let gy = gaussian(radiusLeft: (kh - 1) / 2, length: kh)
        let ow = w - kw + 1, oh = h - kh + 1
        // Separable valid filtering of x, y, x², y², xy.
        func filter(_ f: (Int) -> Double) -> [Double] {
            var rows = [Double](repeating: 0, count: ow * h)
            for r in 0..<h {
                for c in 0..<ow {
                    var s = 0.0
                    for k in 0..<kw { s += gx[k] * f(r * w + c + k) }
                    rows[r * ow + c] = s
                }
            }
            var out = [Double](repeating: 0, count: ow * oh)
            for r in 0..<oh {
                for c in 0..<ow {
                    var s = 0.0
                    for k in 0..<kh { s += gy[k] * rows[(r + k) * ow + c] }
                    out[r * ow + c] = s
                }
            }
            return out
        }
        let mx = filter { x[$0] }, my = filter { y[$0] }
        let xx = filter { x[$0] * x[$0] }, yy = filter { y[$0] * y[$0] }, xy = filter { x[$0] * y[$0] }
        let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)
        var total = 0.0
        for i in 0..<(ow * oh) {
            let vx = xx[i] - mx[i] * mx[i], vy = yy[i] - my[i] * my[i], cxy = xy[i] - mx[i] * my[i]
            total += ((2 * mx[i] * my[i] + c1) * (2 * cxy + c2))
                / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2))
        }
        return total / Double(ow * oh)
    }

    /// Flat areas kept flat: of the horizontally adjacent pixel pairs that are equal in the
    /// original (all channels), how many are still equal in `result`; and the same for the
    /// pairs at a chessboard distance of at least 9 pairs from any unequal pair of the original
    /// (flat areas far from edges, where a cleaner should never add texture). The definitions
    /// of the reference `peers.py` (`flat_counts`), so the two tools' figures compare.
    public static func flatKept(original: RasterImage, result: RasterImage)
        -> (pairs: Int, kept: Int, farPairs: Int, farKept: Int) {
        precondition(original.width == result.width && original.height == result.height &&
                     original.channels == result.channels, "images differ in shape")
        let w = original.width - 1, h = original.height, c = original.channels
        guard w > 0, h > 0 else { return (0, 0, 0, 0) }
        var equal = [Bool](repeating: false, count: w * h), kept = [Bool](repeating: false, count: w * h)
        original.pixels.withUnsafeBufferPointer { p in
            result.pixels.withUnsafeBufferPointer { q in
                for y in 0..<h {
                    for x in 0..<w {
                        let a = (y * (w + 1) + x) * c
                        var e = true, k = true
                        for ch in 0..<c {
                            if p[a + ch] != p[a + c + ch] { e = false }
                            if q[a + ch] != q[a + c + ch] { k = false }
                        }
                        equal[y * w + x] = e
                        kept[y * w + x] = k
                    }
                }
            }
        }
        // Unequal pairs dilated by 8 in every direction.
        let near = BinaryMask.dilate(equal.map { !$0 }, width: w, height: h, radius: 8)
        var pairs = 0, keptCount = 0, far = 0, farKept = 0
        for i in 0..<(w * h) where equal[i] {
            pairs += 1
            if kept[i] { keptCount += 1 }
            if !near[i] {
                far += 1
                if kept[i] { farKept += 1 }
            }
        }
        return (pairs, keptCount, far, farKept)
    }
}
