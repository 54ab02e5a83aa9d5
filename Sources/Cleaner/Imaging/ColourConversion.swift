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
        let cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
        let cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
        return (y, cb, cr)
    }

    /// Converts one (Y, Cb, Cr) triple to RGB: R = Y + 1.402(Cr − 128),
    /// G = Y − 0.344136(Cb − 128) − 0.714136(Cr − 128), B = Y + 1.772(Cb − 128).
    @inlinable
    static func rgb(y: Float, cb: Float, cr: Float) -> (r: Float, g: Float, b: Float) {
        let cbc = cb - 128, crc = cr - 128
        return (y + 1.402 * crc, y - 0.344136 * cbc - 0.714136 * crc, y + 1.772 * cbc)
    }

    /// Converts three RGB planes of one size to (Y, Cb, Cr) planes.
    static func ycbcrPlanes(r: Plane, g: Plane, b: Plane) -> (y: Plane, cb: Plane, cr: Plane) {
        convert(r, g, b, toYCbCr: true)
    }

    /// Converts three (Y, Cb, Cr) planes of one size to RGB planes.
    static func rgbPlanes(y: Plane, cb: Plane, cr: Plane) -> (r: Plane, g: Plane, b: Plane) {
        convert(y, cb, cr, toYCbCr: false)
    }

    /// The channels of an 8-bit image as `Float` planes (0…255): one plane for a gray
    /// image, three (R, G, B) for an RGB image.
    static func planes(of image: RasterImage) -> [Plane] {
        let n = image.width * image.height, c = image.channels
        var result: [Plane] = []
        image.pixels.withUnsafeBufferPointer { px in
            for channel in 0..<c {
                var samples = [Float](repeating: 0, count: n)
                samples.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<n { dst[i] = Float(px[i * c + channel]) }
                }
                result.append(Plane(width: image.width, height: image.height, samples: samples))
            }
        }
        return result
    }

    /// The (Y, Cb, Cr) planes of an RGB image, or the single Y plane of a gray image.
    static func ycbcrPlanes(of image: RasterImage) -> [Plane] {
        guard image.channels == 3 else { return planes(of: image) }
        let n = image.width * image.height
        var y = [Float](repeating: 0, count: n), cb = y, cr = y
        image.pixels.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
        cb.withUnsafeMutableBufferPointer { pcb in
        cr.withUnsafeMutableBufferPointer { pcr in
            for i in 0..<n {
                let t = ycbcr(r: Float(px[3 * i]), g: Float(px[3 * i + 1]), b: Float(px[3 * i + 2]))
                py[i] = t.y; pcb[i] = t.cb; pcr[i] = t.cr
            }
        }}}}
        return [y, cb, cr].map { Plane(width: image.width, height: image.height, samples: $0) }
    }

    /// An 8-bit image from one (gray) or three (R, G, B) planes of one size: each sample
    /// rounded to the nearest integer (halves up) and clamped to 0…255.
    static func rasterImage(channels planes: [Plane]) -> RasterImage {
        precondition(planes.count == 1 || planes.count == 3, "1 or 3 planes")
        let w = planes[0].width, h = planes[0].height, c = planes.count
        precondition(planes.allSatisfy { $0.width == w && $0.height == h }, "planes differ in size")
        var pixels = [UInt8](repeating: 0, count: w * h * c)
        pixels.withUnsafeMutableBufferPointer { dst in
            for channel in 0..<c {
                planes[channel].samples.withUnsafeBufferPointer { src in
                    for i in 0..<(w * h) { dst[i * c + channel] = quantize8(src[i]) }
                }
            }
        }
        return RasterImage(width: w, height: h, channels: c, pixels: pixels)
    }

    /// An 8-bit RGB image from (Y, Cb, Cr) planes (rounded, clamped to 0…255).
    static func rasterImage(y: Plane, cb: Plane, cr: Plane) -> RasterImage {
        let (r, g, b) = rgbPlanes(y: y, cb: cb, cr: cr)
        return rasterImage(channels: [r, g, b])
    }

    /// Rounds a sample to the nearest integer (halves up), clamped to 0…255; NaN becomes 0.
    /// (Integer truncation of `value + 0.5`, not `rounded()`, which can become a libm call.)
    @inlinable
    static func quantize8(_ value: Float) -> UInt8 {
        let v = value + 0.5
        if !(v >= 1) { return 0 }
        return v >= 255 ? 255 : UInt8(v)
    }

    private static func convert(_ a: Plane, _ b: Plane, _ c: Plane,
                                toYCbCr: Bool) -> (Plane, Plane, Plane) {
        precondition(a.width == b.width && a.width == c.width &&
                     a.height == b.height && a.height == c.height, "planes differ in size")
        let n = a.samples.count
        var o0 = [Float](repeating: 0, count: n), o1 = o0, o2 = o0
        a.samples.withUnsafeBufferPointer { pa in
        b.samples.withUnsafeBufferPointer { pb in
        c.samples.withUnsafeBufferPointer { pc in
        o0.withUnsafeMutableBufferPointer { q0 in
        o1.withUnsafeMutableBufferPointer { q1 in
        o2.withUnsafeMutableBufferPointer { q2 in
            if toYCbCr {
                for i in 0..<n {
                    let t = ycbcr(r: pa[i], g: pb[i], b: pc[i])
                    q0[i] = t.y; q1[i] = t.cb; q2[i] = t.cr
                }
            } else {
                for i in 0..<n {
                    let t = rgb(y: pa[i], cb: pb[i], cr: pc[i])
                    q0[i] = t.r; q1[i] = t.g; q2[i] = t.b
                }
            }
        }}}}}}
        return (Plane(width: a.width, height: a.height, samples: o0),
                Plane(width: a.width, height: a.height, samples: o1),
                Plane(width: a.width, height: a.height, samples: o2))
    }
}
