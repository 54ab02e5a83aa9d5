import JPEGCodec

/// JFIF full-range colour conversion between RGB and YCbCr in `Float`, with the matrix
/// libjpeg uses (`jccolor.c` / `jdcolor.c`), on the 8-bit scale (0…255; Cb and Cr centred
/// on 128). No rounding or clamping happens here, except in ``rasterImage(y:cb:cr:)``.
enum ColourConversion {
    /// Converts one RGB triple to (Y, Cb, Cr):
    /// Y = 0.299R + 0.587G + 0.114B, Cb = −0.168736R − 0.331264G + 0.5B + 128,
    /// Cr = 0.5R − 0.418688G − 0.081312B + 128.
    @inlinable
    static func ycbcr(r: Float, g: Float, b: Float) -> (y: Float, cb: Float, cr: Float) {
        let y = 0.299 * r + 0.587 * g + 0.114 * b
        let c = chroma(r: r, g: g, b: b)
        return (y, c.cb + 128, c.cr + 128)
    }

    /// Cb and Cr without their offset of 128: the chroma of an RGB triple, linear, so that the
    /// chroma of a difference of two triples is the difference of their chromas.
    @inlinable
    static func chroma(r: Float, g: Float, b: Float) -> (cb: Float, cr: Float) {
        (-0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b)
    }

    /// The RGB change that moves a colour's Cb and Cr by `cb` and `cr` and keeps its Y.
    @inlinable
    static func rgbMove(cb: Float, cr: Float) -> (r: Float, g: Float, b: Float) {
        (1.402 * cr, -0.344136 * cb - 0.714136 * cr, 1.772 * cb)
    }

    /// Converts one (Y, Cb, Cr) triple to RGB: R = Y + 1.402(Cr − 128),
    /// G = Y − 0.344136(Cb − 128) − 0.714136(Cr − 128), B = Y + 1.772(Cb − 128).
    @inlinable
    static func rgb(y: Float, cb: Float, cr: Float) -> (r: Float, g: Float, b: Float) {
        let cbc = cb - 128, crc = cr - 128
        return (y + 1.402 * crc, y - 0.344136 * cbc - 0.714136 * crc, y + 1.772 * cbc)
    }

    /// Converts three RGB planes of one size to (Y, Cb, Cr) planes.
    static func ycbcrPlanes(r: Plane, g: Plane, b: Plane, threads: Int = 1) -> (y: Plane, cb: Plane, cr: Plane) {
        convert(r, g, b, toYCbCr: true, threads: threads)
    }

    /// Converts three (Y, Cb, Cr) planes of one size to RGB planes.
    static func rgbPlanes(y: Plane, cb: Plane, cr: Plane, threads: Int = 1) -> (r: Plane, g: Plane, b: Plane) {
        convert(y, cb, cr, toYCbCr: false, threads: threads)
    }

    /// The channels of an 8-bit image as `Float` planes (0…255): one plane for a gray
    /// image, three (R, G, B) for an RGB image.
    static func planes(of image: RasterImage, threads: Int = 1) -> [Plane] {
        let n = image.width * image.height, c = image.channels, w = image.width
        var samples = [[Float]](repeating: [], count: c)
        image.pixels.withUnsafeBufferPointer { px in
            for channel in 0..<c {
                var plane = [Float].unfilled(n)  // every sample written below
                plane.withUnsafeMutableBufferPointer { dst in
                    let src = SharedInput(px), out = SharedOutput(dst)
                    RowBands.run(image.height, samplesPerRow: w, threads: threads) { rows in
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) { out.base[i] = Float(src.base[i * c + channel]) }
                    }
                }
                samples[channel] = plane
            }
        }
        return samples.map { Plane(width: image.width, height: image.height, samples: $0) }
    }

    /// The (Y, Cb, Cr) planes of an RGB image, or the single Y plane of a gray image.
    static func ycbcrPlanes(of image: RasterImage, threads: Int = 1) -> [Plane] {
        guard image.channels == 3 else { return planes(of: image, threads: threads) }
        return ycbcrPlanes(interleaved: image.pixels, width: image.width, height: image.height, threads: threads)
    }

    /// The (Y, Cb, Cr) planes of interleaved RGB samples (the same values as
    /// ``ycbcrPlanes(r:g:b:threads:)`` on the image's planes), or its one plane when gray.
    static func ycbcrPlanes(of image: FloatImage, threads: Int = 1) -> [Plane] {
        guard image.channels == 3 else { return image.planes(threads: threads) }
        return ycbcrPlanes(interleaved: image.samples, width: image.width, height: image.height, threads: threads)
    }

    /// The (Y, Cb, Cr) planes of `width × height` interleaved RGB samples (as ``ColourSample/float``);
    /// rows split among `threads` (each writes only its own samples).
    @inline(__always)
    private static func ycbcrPlanes<T: ColourSample>(interleaved samples: [T], width w: Int, height h: Int,
                                                     threads: Int) -> [Plane] {
        let n = w * h
        // Every sample of the three is written below (and three separate buffers: `cb = y`
        // would share y's until written, then copy it).
        var y = [Float].unfilled(n), cb = [Float].unfilled(n), cr = [Float].unfilled(n)
        samples.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
        cb.withUnsafeMutableBufferPointer { pcb in
        cr.withUnsafeMutableBufferPointer { pcr in
            let src = SharedInput(px), oy = SharedOutput(py), ocb = SharedOutput(pcb), ocr = SharedOutput(pcr)
            RowBands.run(h, samplesPerRow: 3 * w, threads: threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let t = ycbcr(r: src.base[3 * i].float, g: src.base[3 * i + 1].float, b: src.base[3 * i + 2].float)
                    oy.base[i] = t.y; ocb.base[i] = t.cb; ocr.base[i] = t.cr
                }
            }
        }}}}
        return [y, cb, cr].map { Plane(width: w, height: h, samples: $0) }
    }

    /// Interleaved RGB samples from (Y, Cb, Cr) planes (the same values as
    /// ``rgbPlanes(y:cb:cr:threads:)`` interleaved).
    static func rgbImage(y: Plane, cb: Plane, cr: Plane, threads: Int = 1) -> FloatImage {
        FloatImage(width: y.width, height: y.height, channels: 3,
                   samples: interleavedRGB(y: y, cb: cb, cr: cr, threads: threads))
    }

    /// The RGB of (Y, Cb, Cr) planes, interleaved, each sample as ``ColourSample/converted(_:)``
    /// makes it; rows split among `threads` (each writes only its own pixels).
    @inline(__always)
    private static func interleavedRGB<T: ColourSample>(y: Plane, cb: Plane, cr: Plane, threads: Int) -> [T] {
        precondition(y.width == cb.width && y.width == cr.width && y.height == cb.height && y.height == cr.height,
                     "planes differ in size")
        let w = y.width, n = w * y.height
        var out = [T].unfilled(3 * n)  // all written below
        y.samples.withUnsafeBufferPointer { py in
        cb.samples.withUnsafeBufferPointer { pcb in
        cr.samples.withUnsafeBufferPointer { pcr in
        out.withUnsafeMutableBufferPointer { o in
            let iy = SharedInput(py), icb = SharedInput(pcb), icr = SharedInput(pcr), dst = SharedOutput(o)
            RowBands.run(y.height, samplesPerRow: 3 * w, threads: threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let t = rgb(y: iy.base[i], cb: icb.base[i], cr: icr.base[i])
                    dst.base[3 * i] = T.converted(t.r); dst.base[3 * i + 1] = T.converted(t.g); dst.base[3 * i + 2] = T.converted(t.b)
                }
            }
        }}}}
        return out
    }

    /// An 8-bit image from one (gray) or three (R, G, B) planes of one size: each sample
    /// rounded to the nearest integer (halves up) and clamped to 0…255.
    static func rasterImage(channels planes: [Plane], threads: Int = 1) -> RasterImage {
        precondition(planes.count == 1 || planes.count == 3, "1 or 3 planes")
        let w = planes[0].width, h = planes[0].height, c = planes.count
        precondition(planes.allSatisfy { $0.width == w && $0.height == h }, "planes differ in size")
        var pixels = [UInt8].unfilled(w * h * c)  // all written below
        pixels.withUnsafeMutableBufferPointer { dst in
            let out = SharedOutput(dst)
            for channel in 0..<c {
                planes[channel].samples.withUnsafeBufferPointer { src in
                    let input = SharedInput(src)
                    RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                            out.base[i * c + channel] = quantize8(input.base[i])
                        }
                    }
                }
            }
        }
        return RasterImage(width: w, height: h, channels: c, pixels: pixels)
    }

    /// An 8-bit RGB image from (Y, Cb, Cr) planes (rounded, clamped to 0…255): the RGB of
    /// ``rgbPlanes(y:cb:cr:threads:)``, each sample rounded as ``rasterImage(channels:threads:)`` does.
    static func rasterImage(y: Plane, cb: Plane, cr: Plane, threads: Int = 1) -> RasterImage {
        RasterImage(width: y.width, height: y.height, channels: 3,
                    pixels: interleavedRGB(y: y, cb: cb, cr: cr, threads: threads))
    }

    /// Rounds a sample to the nearest integer (halves up), clamped to 0…255; NaN becomes 0.
    /// (Integer truncation of `value + 0.5`, not `rounded()`, which can become a libm call.)
    @inlinable
    static func quantize8(_ value: Float) -> UInt8 {
        let v = value + 0.5
        if !(v >= 1) { return 0 }
        return v >= 255 ? 255 : UInt8(v)
    }

    /// ``quantize8(_:)`` on eight values at once (the same results, NaN included), without a
    /// float-to-integer conversion (the generic SIMD one is a scalar loop): `v` clamped to
    /// 0…255, its floor found by adding and removing 2²³ (which rounds to the nearest
    /// integer) and stepping down where that rounded up, and the integer read from the low
    /// bits of `floor + 2²³`.
    @inline(__always)
    static func quantize8(_ value: SIMD8<Float>) -> SIMD8<UInt8> {
        let magic = SIMD8<Float>(repeating: 8_388_608)
        var v = value + 0.5
        v = v.replacing(with: 0, where: .!(v .>= 1))
        v = v.replacing(with: 255, where: v .>= 255)
        var r = (v + magic) - magic
        r = r.replacing(with: r - 1, where: r .> v)
        let bits = unsafeBitCast(r + magic, to: SIMD8<UInt32>.self) & 0xFF
        return SIMD8<UInt8>(truncatingIfNeeded: bits)
    }

    private static func convert(_ a: Plane, _ b: Plane, _ c: Plane,
                                toYCbCr: Bool, threads: Int) -> (Plane, Plane, Plane) {
        precondition(a.width == b.width && a.width == c.width &&
                     a.height == b.height && a.height == c.height, "planes differ in size")
        let n = a.samples.count, w = a.width
        var o0 = [Float].unfilled(n), o1 = [Float].unfilled(n), o2 = [Float].unfilled(n)  // all written below
        a.samples.withUnsafeBufferPointer { pa in
        b.samples.withUnsafeBufferPointer { pb in
        c.samples.withUnsafeBufferPointer { pc in
        o0.withUnsafeMutableBufferPointer { q0 in
        o1.withUnsafeMutableBufferPointer { q1 in
        o2.withUnsafeMutableBufferPointer { q2 in
            let i0 = SharedInput(pa), i1 = SharedInput(pb), i2 = SharedInput(pc)
            let d0 = SharedOutput(q0), d1 = SharedOutput(q1), d2 = SharedOutput(q2)
            RowBands.run(a.height, samplesPerRow: 3 * w, threads: threads) { rows in
                let range = (rows.lowerBound * w)..<(rows.upperBound * w)
                if toYCbCr {
                    for i in range {
                        let t = ycbcr(r: i0.base[i], g: i1.base[i], b: i2.base[i])
                        d0.base[i] = t.y; d1.base[i] = t.cb; d2.base[i] = t.cr
                    }
                } else {
                    for i in range {
                        let t = rgb(y: i0.base[i], cb: i1.base[i], cr: i2.base[i])
                        d0.base[i] = t.r; d1.base[i] = t.g; d2.base[i] = t.b
                    }
                }
            }
        }}}}}}
        return (Plane(width: a.width, height: a.height, samples: o0),
                Plane(width: a.width, height: a.height, samples: o1),
                Plane(width: a.width, height: a.height, samples: o2))
    }
}

/// A sample type the colour conversions read and write: `Float` as it is, `UInt8` through
/// ``ColourConversion/quantize8(_:)``. A protocol rather than a closure, so that each use
/// is compiled for its type, with no call per sample.
protocol ColourSample: BitwiseCopyable, Sendable {
    /// The sample for a converted value.
    static func converted(_ value: Float) -> Self
    /// The sample's value.
    var float: Float { get }
}

extension Float: ColourSample {
    static func converted(_ value: Float) -> Float { value }
    var float: Float { self }
}

extension UInt8: ColourSample {
    /// Rounded (halves up) and clamped as ``ColourConversion/quantize8(_:)``.
    static func converted(_ value: Float) -> UInt8 { ColourConversion.quantize8(value) }
    var float: Float { Float(self) }
}
