/// Adam7 interlacing (PNG spec §8.2): seven passes over 8×8 tiles.
enum Adam7 {
    /// (x start, y start, x step, y step) of passes 1...7.
    static let pattern: [(Int, Int, Int, Int)] = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// Width and height of each pass's reduced image (0 if the pass is empty).
    static func passes(width: Int, height: Int) -> [(Int, Int)] {
        pattern.map { (x0, y0, dx, dy) in
            (width > x0 ? (width - x0 + dx - 1) / dx : 0, height > y0 ? (height - y0 + dy - 1) / dy : 0)
        }
    }
}
