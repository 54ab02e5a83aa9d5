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
    /// Then the colour it gave up goes back where it came from: the file fixes (up to its
    /// quantization) each chroma sample's mean over the pixels it covers, so the chroma such a
    /// snap removes (its Cb and Cr before minus after) is shared out equally among the pixels
    /// of the same sample that took no snap — the line — whose luma stays as it was.
    ///
    /// Measured on the 50 real screenshots and `$DATA/valid` with the default model
    /// (`Notes/experiments.md`, fourteenth round): at luma 1.5 and reach 32 the snaps alone
    /// took real q85 from +3.553 to +3.608 dB, and with the chroma given back to the line
    /// +3.840 (q95 +4.215 → +4.806; akregator's and kolourpaint's dialogs +2 dB); every point of
    /// the `$DATA/valid` grid moves by −0.001 to +0.02. Reach 48 or 64 begin to snap real
    /// colours (64: one image below its decode); without the test of the shared sample, photos
    /// at q50 lost up to 0.3 dB (flat decoded sky beside a colour of the same luma); with
    /// full-resolution chroma nothing bled, so nothing snaps.
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
                @inline(__always) func lumaOf(_ p: UnsafePointer<Float>) -> Float { ColourConversion.ycbcr(r: p[0], g: p[1], b: p[2]).y }
                let own = lumaOf(pixels + (y * w + x) * 3)
                guard abs(own - ColourConversion.ycbcr(r: target.0, g: target.1, b: target.2).y) <= luma else { return false }
                let gx = x - x % fx, gy = y - y % fy
                for yy in gy..<min(gy + fy, h) {
                    for xx in gx..<min(gx + fx, w) where abs(lumaOf(pixels + (yy * w + xx) * 3) - own) > SharedChroma.edgeLuma {
                        return true
                    }
                }
                return false
            }

            /// Gives the chroma taken by this test's snaps back to the rest of each chroma
            /// sample: for every `fx × fy` cell holding a pixel that `snaps` snaps beyond
            /// `tolerance` (a shared-chroma snap) and still snaps (the check of the bins may have
            /// undone it), the change of its Cb and Cr (before − after the snap, JFIF's
            /// conversion) is added in equal parts to the cell's pixels without any snap, as R, G
            /// and B moves that keep their luma, clipped to 0…255. `estimate`: before the snaps
            /// (only the pixels without a snap change here, so the snapped ones still read as
            /// they were). Cells are independent: rows of cells split among `threads`.
            func giveBackChroma(_ estimate: inout FloatImage, snaps: Snaps, tolerance: Float, threads: Int) {
                let w = estimate.width, h = estimate.height
                let snapped = snaps.distance
                precondition(estimate.channels == 3 && snaps.channels == 3 && snapped.count == w * h,
                             "an RGB estimate and one mark per pixel")
                guard snapped.contains(where: { $0.isFinite && $0 > tolerance }) else { return }
                let fx = self.fx, fy = self.fy
                estimate.samples.withUnsafeMutableBufferPointer { e in
                snaps.targets.withUnsafeBufferPointer { t in
                snaps.colour.withUnsafeBufferPointer { k in
                snapped.withUnsafeBufferPointer { s in
                    let out = SharedOutput(e), targets = SharedInput(t), chosen = SharedInput(k), marks = SharedInput(s)
                    RowBands.run((h + fy - 1) / fy, samplesPerRow: 3 * w * fy, threads: threads) { cellRows in
                        for cy in cellRows {
                            let ys = (cy * fy)..<min(cy * fy + fy, h)
                            for gx in Swift.stride(from: 0, to: w, by: fx) {
                                let xs = gx..<min(gx + fx, w)
                                var cb: Float = 0, cr: Float = 0, given = false, takers = 0
                                for y in ys {
                                    for x in xs {
                                        let i = y * w + x, mark = marks.base[i]
                                        guard mark.isFinite else { takers += 1; continue }
                                        let was = UnsafePointer(out.base + 3 * i)
                                        let now = chosen.base[i] < 0 ? was : targets.base + Int(chosen.base[i]) * 4
                                        guard mark > tolerance, now[0] != was[0] || now[1] != was[1] || now[2] != was[2] else { continue }
                                        let a = ColourConversion.chroma(r: was[0], g: was[1], b: was[2])
                                        let b = ColourConversion.chroma(r: now[0], g: now[1], b: now[2])
                                        cb += a.cb - b.cb
                                        cr += a.cr - b.cr
                                        given = true
                                    }
                                }
                                guard given, takers > 0 else { continue }
                                let dcb = cb / Float(takers), dcr = cr / Float(takers)
                                let moves = ColourConversion.rgbMove(cb: dcb, cr: dcr)
                                for y in ys {
                                    for x in xs where !marks.base[y * w + x].isFinite {
                                        let p = out.base + 3 * (y * w + x)
                                        p[0] = min(max(p[0] + moves.r, 0), 255)
                                        p[1] = min(max(p[1] + moves.g, 0), 255)
                                        p[2] = min(max(p[2] + moves.b, 0), 255)
                                    }
                                }
                            }
                        }
                    }
                }}}}
            }
        }
    }
}
