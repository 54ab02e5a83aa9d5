/// Integer-factor resampling of planes between a full-resolution plane and a subsampled
/// JPEG component plane.
public enum Resampling {
    /// Box-filter downsampling by `factorX × factorY`, as libjpeg's encoder does for
    /// subsampled chroma (`h2v2_downsample` and friends), but in `Float` without its
    /// alternating rounding bias: each output sample is the mean of a `factorX × factorY`
    /// box. The plane is first edge-extended (last column and row replicated) to a multiple
    /// of the factors, so the output is `⌈width/factorX⌉ × ⌈height/factorY⌉`.
    public static func boxDownsample(_ plane: Plane, factorX: Int, factorY: Int) -> Plane {
        precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
        if factorX == 1 && factorY == 1 { return plane }
        let ow = (plane.width + factorX - 1) / factorX, oh = (plane.height + factorY - 1) / factorY
        let ext = plane.edgeExtended(toWidth: ow * factorX, height: oh * factorY)
        var out = [Float](repeating: 0, count: ow * oh)
        let scale = 1 / Float(factorX * factorY), ew = ext.width
        ext.samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    for x in 0..<ow {
                        var s: Float = 0
                        for dy in 0..<factorY {
                            let row = (y * factorY + dy) * ew + x * factorX
                            for dx in 0..<factorX { s += src[row + dx] }
                        }
                        dst[y * ow + x] = s * scale
                    }
                }
            }
        }
        return Plane(width: ow, height: oh, samples: out)
    }

    /// Nearest-neighbour (replication) upsampling by `factorX × factorY`, cropped to
    /// `width × height` (at most the full upsampled size). It is the exact right inverse of
    /// ``boxDownsample(_:factorX:factorY:)``: box-averaging a replicated plane returns it.
    public static func replicateUpsample(_ plane: Plane, factorX: Int, factorY: Int,
                                         width: Int, height: Int) -> Plane {
        precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
        precondition(width <= plane.width * factorX && height <= plane.height * factorY,
                     "output larger than the upsampled plane")
        var out = [Float](repeating: 0, count: width * height)
        let pw = plane.width
        plane.samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let srow = (y / factorY) * pw
                    for x in 0..<width { dst[y * width + x] = src[srow + x / factorX] }
                }
            }
        }
        return Plane(width: width, height: height, samples: out)
    }
}
