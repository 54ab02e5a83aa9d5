import JPEGCodec

/// Colour inside RGB: where a pixel's colour lies outside the RGB cube by more than `margin`
/// levels in some channel, its chroma shrinks toward gray, its luma and hue kept, until it lies
/// `margin` outside (the final rounding then clamps the rest). Only where the chroma was
/// subsampled: that is where the colour at full resolution is estimated from a coarser grid.
///
/// Why: the original was an RGB image, so its (Y, Cb, Cr) lies inside the cube. The guided
/// chroma's linear model, fitted on the 2 × 2 grid where a 1-pixel line is averaged away, is
/// evaluated at the line's full-resolution luma, which can lie far outside the luma its window
/// showed: a dark red bar's outline (74, 0, 0) gets a Cr that no colour of its luma has, and the
/// plain clamp of each channel to 0…255 then makes it (255, 0, 0) — it moves the luma, the
/// better-known half, to keep the invented chroma. Shrinking the chroma instead gives
/// (82, 0, 2). Measured (`Notes/experiments.md`, seventeenth round): the twelve training
/// screenshots the pipeline made worse than their decode gain 4.6 dB on average, real
/// screenshots +0.02 to +0.08 dB over q50–q95; the one kind of pixel it costs is saturated
/// text whose luma came out low (blue text on white), where the clamp's raised luma was right.
public struct GamutStage: CleaningStage, Equatable {
    public static let name = "gamut"
    public static let summary = "Gamut: where a colour lies outside RGB (the guided chroma extrapolated at a thin line), its chroma shrinks toward gray, keeping its luma, until it fits."

    /// Levels (8-bit scale) a channel may lie outside 0…255 before the chroma shrinks (0…64).
    public var margin: Float

    public init(margin: Float = 0) {
        self.margin = margin
    }

    public var halo: Int { 0 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.channels == 3, state.hasUsableCoefficients else { return }
        let factors = state.factors
        guard factors.count == 3, factors[1...].contains(where: { $0.map { $0.x > 1 || $0.y > 1 } ?? false }) else { return }
        var pixels = state.takePixels()
        GamutLimit.apply(&pixels, margin: margin, threads: context.threads)
        state.setPixels(pixels)
    }

    static let key = "unjpeg.gamut.margin"

    public func metadata() -> [String: String] { [Self.key: String(margin)] }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let text = metadata[Self.key], let m = Float(text), m.isFinite, m >= 0, m <= 64 else {
            throw .invalidMetadata(key: Self.key, value: metadata[Self.key])
        }
        margin = m
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "gamut", valueName: "m",
                       help: "Where a colour lies more than m levels outside RGB in some channel (and the chroma was subsampled), shrink its chroma toward gray, keeping its luma, until it lies m outside; off for none (0…64, or off).") { pipeline, text throws(StageOverrideError) in
            if text == "off" { pipeline.remove(GamutStage.self); return }
            pipeline.insert(GamutStage(margin: try StageOverride.number(text, "gamut", in: 0...64)))
        }]
    }
}
