import JPEGCodec

/// Where to look closely at one image: the square windows where the cleaned image is furthest
/// from the original, where the cleaner gained most over the plain decode, and where it lost
/// most (if it lost anywhere, away from the worst crop). Windows are scored by their summed squared RGB error, read from
/// summed-area tables, on an 8-px grid (the JPEG blocks) plus the last row and column.
struct CropFinder {
    struct Crop: Equatable {
        enum Kind: String, CaseIterable { case worst, gain, loss }
        var kind: Kind
        var x: Int, y: Int, size: Int
        /// Mean squared error per sample in the window: the decode's and the cleaned image's.
        var mseDecode: Double, mseClean: Double

        var title: String {
            switch kind {
            case .worst: return "largest error after cleaning"
            case .gain: return "largest gain"
            case .loss: return "largest loss (cleaned worse than the JPEG)"
            }
        }
    }

    let width: Int, height: Int
    /// Summed-area tables ((width + 1) × (height + 1)) of the squared errors of the decode and
    /// of the cleaned image.
    private let decodeTable: [Int64], cleanTable: [Int64]

    init(original: RasterImage, decoded: RasterImage, cleaned: RasterImage) {
        width = original.width
        height = original.height
        decodeTable = Self.table(original, decoded)
        cleanTable = Self.table(original, cleaned)
    }

    /// The summed-area table of the squared difference of `a` and `b` (summed over RGB).
    private static func table(_ a: RasterImage, _ b: RasterImage) -> [Int64] {
        let w = a.width, h = a.height, stride = w + 1
        var table = [Int64](repeating: 0, count: stride * (h + 1))
        for y in 0..<h {
            var row: Int64 = 0
            for x in 0..<w {
                for k in 0..<3 {
                    let d = Int64(sample(a, x, y, k)) - Int64(sample(b, x, y, k))
                    row += d * d
                }
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row
            }
        }
        return table
    }

    /// Channel `k` of pixel (`x`, `y`), gray images giving the same sample for each.
    static func sample(_ image: RasterImage, _ x: Int, _ y: Int, _ k: Int) -> UInt8 {
        image.pixels[(y * image.width + x) * image.channels + (image.channels == 1 ? 0 : k)]
    }

    private func sum(_ table: [Int64], _ x: Int, _ y: Int, _ size: Int) -> Int64 {
        let s = width + 1
        return table[(y + size) * s + x + size] - table[y * s + x + size] - table[(y + size) * s + x] + table[y * s + x]
    }

    /// The window positions along one axis of length `length`.
    private static func positions(_ length: Int, _ size: Int) -> [Int] {
        var list = Array(stride(from: 0, through: length - size, by: 8))
        if list.last != length - size { list.append(length - size) }
        return list
    }

    /// The crops of side `size` (at most the image's smaller side): the worst, the largest
    /// gain, and the largest loss when some window got worse and it is not mostly the worst.
    func crops(size requested: Int) -> [Crop] {
        let size = max(1, min(requested, width, height))
        guard width > 0, height > 0 else { return [] }
        var worst = (score: Int64.min, x: 0, y: 0)
        var gain = worst, loss = (score: Int64.max, x: 0, y: 0)
        for y in Self.positions(height, size) {
            for x in Self.positions(width, size) {
                let d = sum(decodeTable, x, y, size), c = sum(cleanTable, x, y, size)
                if c > worst.score { worst = (c, x, y) }
                if d - c > gain.score { gain = (d - c, x, y) }
                if d - c < loss.score { loss = (d - c, x, y) }
            }
        }
        func crop(_ kind: Crop.Kind, _ x: Int, _ y: Int) -> Crop {
            let n = Double(size * size * 3)
            return Crop(kind: kind, x: x, y: y, size: size,
                        mseDecode: Double(sum(decodeTable, x, y, size)) / n, mseClean: Double(sum(cleanTable, x, y, size)) / n)
        }
        var list = [crop(.worst, worst.x, worst.y), crop(.gain, gain.x, gain.y)]
        // The loss only when it shows a place the worst crop does not (overlap under half).
        let overlap = max(0, size - abs(loss.x - worst.x)) * max(0, size - abs(loss.y - worst.y))
        if loss.score < 0 && 2 * overlap < size * size { list.append(crop(.loss, loss.x, loss.y)) }
        return list
    }
}
