extension PaletteStage {
    /// Colour that bled in through a shared chroma sample.
    ///
    /// With 4:2:0 (or 4:2:2) chroma, a 1-pixel coloured line beside a flat area — a window
    /// title's accent line, a focus frame — shares each chroma sample with the row of the flat
    /// area next to it, so the decode gives that row a mix of both colours; no earlier stage
    /// can tell which pixel of the pair the colour belongs to (the guided chroma fits one
    /// linear model of chroma on luma, and dark grey, blue and light grey do not lie on one
    /// line). The luma can: it is coded at full resolution, and on that row it is the flat
    /// area's. So a pixel whose luma is within ``luma`` levels of a palette colour's, whose
    /// channels are within ``reach`` levels of it, and whose chroma sample also covers a pixel
    /// of another luma (more than ``edgeLuma`` levels away: the line) becomes that colour, as
    /// a near-miss within the stage's tolerance does, with the same radius and check of the bins.
    ///
    /// Measured on the 50 real screenshots and `$DATA/valid` with the default model
    /// (`Notes/experiments.md`, fourteenth round): at luma 1.5 and reach 32, real q85
    /// +3.553 → +3.608 dB (better on 42 of 50; akregator's dialogs +0.4), q95 +0.138, q75
    /// +0.007; `$DATA/valid` +0.002 to +0.011 at every point of the 4:2:0 grid. Reach 48 or 64
    /// begin to snap real colours (64: one image below its decode); without the test of the
    /// shared sample, photos at q50 lost up to 0.3 dB (flat decoded sky beside a colour of
    /// the same luma); with full-resolution chroma there is nothing to undo, so nothing snaps.
    public struct SharedChroma: Equatable, Sendable {
        /// How close (levels of 0.299 R + 0.587 G + 0.114 B) the pixel's luma must be to the
        /// colour's (0 < luma ≤ 8).
        public var luma: Float
        /// How far (levels, in every channel) the pixel may be from the colour (luma < reach ≤ 64).
        public var reach: Float

        /// A pixel of the same chroma sample whose luma differs by more than this many levels
        /// is another colour: the one that bled in.
        static let edgeLuma: Float = 16
        /// The metadata key under ``PaletteStage/prefix``.
        static let key = "shared_chroma"

        /// Nil unless 0 < luma ≤ 8 and luma < reach ≤ 64.
        public init?(luma: Float, reach: Float) {
            guard luma.isFinite, reach.isFinite, luma > 0, luma <= 8, reach > luma, reach <= 64 else { return nil }
            self.luma = luma
            self.reach = reach
        }

        /// From "luma,reach".
        init?(_ text: String) {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let l = Float(parts[0]), let r = Float(parts[1]) else { return nil }
            self.init(luma: l, reach: r)
        }

        var text: String { "\(luma),\(reach)" }

        /// The test for an image whose components have `factors` (``PipelineState/factors``), or
        /// nil when its chroma is not subsampled (or the components are not luma and two
        /// chroma): then every pixel's chroma is the file's own.
        func test(factors: [(x: Int, y: Int)?]) -> Test? {
            guard factors.count == 3, let f = factors[1], f.x >= 1, f.y >= 1, f.x * f.y > 1 else { return nil }
            return Test(luma: luma, reach: reach, fx: f.x, fy: f.y)
        }

        /// ``SharedChroma`` for one image: its chroma samples cover `fx × fy` pixels.
        struct Test {
            let luma: Float, reach: Float, fx: Int, fy: Int

            /// Whether the pixel (x, y) of `pixels` (RGB, `width × height`), at `distance` (the
            /// largest channel difference) from the palette colour `target`, snaps to it.
            @inline(__always)
            func allows(_ pixels: UnsafePointer<Float>, x: Int, y: Int, width w: Int, height h: Int,
                        target: (Float, Float, Float), distance: Float) -> Bool {
                guard distance <= reach else { return false }
                @inline(__always) func lumaOf(_ p: UnsafePointer<Float>) -> Float { 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] }
                let own = lumaOf(pixels + (y * w + x) * 3)
                guard abs(own - (0.299 * target.0 + 0.587 * target.1 + 0.114 * target.2)) <= luma else { return false }
                let gx = x - x % fx, gy = y - y % fy
                for yy in gy..<min(gy + fy, h) {
                    for xx in gx..<min(gx + fx, w) where abs(lumaOf(pixels + (yy * w + xx) * 3) - own) > SharedChroma.edgeLuma {
                        return true
                    }
                }
                return false
            }
        }
    }
}
