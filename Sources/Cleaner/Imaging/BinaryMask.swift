/// Boolean masks over an image's pixel grid (row-major, `width × height`).
enum BinaryMask {
    /// `mask` dilated by `radius` in chessboard distance: true where any true lies within
    /// `radius` pixels in both directions. Separable running windows, O(width · height).
    static func dilate(_ mask: [Bool], width w: Int, height h: Int, radius r: Int) -> [Bool] {
        precondition(mask.count == w * h && r >= 0, "a width × height mask and a radius ≥ 0")
        var rows = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            var last = -r - 1   // the latest true at or left of x
            for x in 0..<w { if mask[y * w + x] { last = x }; rows[y * w + x] = x - last <= r }
            var next = Int.max / 2
            for x in stride(from: w - 1, through: 0, by: -1) {
                if mask[y * w + x] { next = x }
                if next - x <= r { rows[y * w + x] = true }
            }
        }
        var out = [Bool](repeating: false, count: w * h)
        for x in 0..<w {
            var last = -r - 1
            for y in 0..<h { if rows[y * w + x] { last = y }; out[y * w + x] = y - last <= r }
            var next = Int.max / 2
            for y in stride(from: h - 1, through: 0, by: -1) {
                if rows[y * w + x] { next = y }
                if next - y <= r { out[y * w + x] = true }
            }
        }
        return out
    }
}
