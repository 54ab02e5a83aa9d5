import JPEGCodec

extension RasterImage {
    /// The `width × height` sub-image whose top-left pixel is (`x`, `y`); the rectangle
    /// must lie inside the image. Used to shift the 8×8 JPEG grid before encoding.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> RasterImage {
        precondition(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + h <= height,
                     "crop rectangle outside the image")
        let c = channels
        var out = [UInt8](repeating: 0, count: w * h * c)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<h {
                    let s = ((y + r) * width + x) * c, d = r * w * c
                    for i in 0..<(w * c) { dst[d + i] = src[s + i] }
                }
            }
        }
        return RasterImage(width: w, height: h, channels: c, pixels: out)
    }
}
