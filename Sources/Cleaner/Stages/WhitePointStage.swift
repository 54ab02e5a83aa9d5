import JPEGCodec

/// White stays white: a pixel whose estimate is within `tolerance` levels of pure white in
/// every channel becomes pure white (255, 255, 255).
///
/// Why: pure white is by far the most common colour of screenshots, and of saturated
/// highlights in photos; JPEG moves a white background next to text by one or two levels
/// (the block's DC and ringing), well inside the quantization bins, so no projection can tell
/// 254 from 255 — but a prior over values can.
public struct WhitePointStage: CleaningStage, Equatable {
    public static let name = "white_point"
    public static let summary = "White point: a pixel within a level or two of pure white in every channel becomes pure white."

    /// Levels below 255 (per channel, on the unrounded estimate) that still count as white (0 < t ≤ 4).
    public var tolerance: Float

    public init(tolerance: Float = 1.5) { self.tolerance = tolerance }

    public var halo: Int { 0 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.channels == 3 else { return }
        var estimate = state.pixels()
        let floor = 255 - tolerance, w = state.width
        estimate.samples.withUnsafeMutableBufferPointer { buffer in
            // Pixel by pixel: rows split among the threads.
            let e = SharedOutput(buffer)
            RowBands.run(state.height, samplesPerRow: 3 * w, threads: context.threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w)
                where e.base[3 * i] >= floor && e.base[3 * i + 1] >= floor && e.base[3 * i + 2] >= floor {
                    e.base[3 * i] = 255; e.base[3 * i + 1] = 255; e.base[3 * i + 2] = 255
                }
            }
        }
        state.setPixels(estimate)
    }

    static let key = "unjpeg.white_point.tolerance"

    public func metadata() -> [String: String] { [Self.key: String(tolerance)] }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let text = metadata[Self.key], let t = Float(text), t.isFinite, t > 0, t <= 4 else {
            throw .invalidMetadata(key: Self.key, value: metadata[Self.key])
        }
        tolerance = t
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "white-point", valueName: "t",
                       help: "Make pixels within t levels of pure white in every channel pure white, 0 for off (0…4).") { pipeline, text throws(StageOverrideError) in
            let t = try StageOverride.number(text, "white-point", in: 0...4)
            if t == 0 { pipeline.remove(WhitePointStage.self); return }
            pipeline.insert(WhitePointStage(tolerance: t))
        }]
    }
}
