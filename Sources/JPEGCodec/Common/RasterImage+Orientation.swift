extension RasterImage {
    /// The image as it should be displayed given an EXIF orientation tag (TIFF tag 0x0112):
    /// 1 as stored, 2 mirrored left–right, 3 turned 180°, 4 mirrored top–bottom, 5 transposed
    /// (mirrored along the main diagonal), 6 turned 90° clockwise, 7 transversed (mirrored
    /// along the anti-diagonal), 8 turned 90° counter-clockwise — the same as Pillow's
    /// `ImageOps.exif_transpose`. Values outside 1…8 leave the image as stored.
    public func applyingOrientation(_ orientation: Int) -> RasterImage {
        guard (2...8).contains(orientation), width > 0, height > 0 else { return self }
        let w = width, h = height, c = channels
        let swapsAxes = orientation >= 5
        let outW = swapsAxes ? h : w, outH = swapsAxes ? w : h
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    for x in 0..<outW {
                        let sx: Int, sy: Int
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        let s = (sy * w + sx) * c, d = (y * outW + x) * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return RasterImage(width: outW, height: outH, channels: c, pixels: out)
    }
}
