import JPEGCodec

/// What a file's quantization says about how it was encoded: the nearest libjpeg quality,
/// whether its tables are exactly libjpeg's scaled Annex K tables, and its chroma sampling.
/// This is what a model's ``ModelCoverage`` is compared with.
public struct TableQuality: Equatable, Sendable {
    /// The libjpeg quality (1…100) whose scaled tables are nearest to the file's, by the mean
    /// absolute difference of the steps' logarithms.
    public var quality: Int
    /// True when the tables are exactly libjpeg's at ``quality`` (Pillow, cjpeg, most
    /// services); false for custom or rescaled tables (cameras, mozjpeg, Photoshop).
    public var isStandard: Bool
    /// "4:2:0", "4:2:2", "4:4:4", "4:4:0", "gray", or "HxV" for other chroma factors.
    public var subsampling: String

    /// The quality of a decoded file; nil without coefficients (not a JPEG).
    public init?(_ input: CleanerInput) {
        guard let luma = input.components.first?.quantization else { return nil }
        let chroma = input.components.count >= 2 ? input.components[1].quantization : nil
        self.init(luma: luma, chroma: chroma, chromaFactors: QuantizationFeatures.chromaFactors(of: input))
    }

    /// The quality of a luma table, a chroma table (nil: gray) and the chroma's factors.
    public init(luma: [UInt16], chroma: [UInt16]?, chromaFactors: (x: Int, y: Int)) {
        func table(_ base: [UInt16], _ q: Int) -> [UInt16] {
            StandardTables.scaledQuantization(base, quality: q, forceBaseline: false)
        }
        // Exact tables first (most files, and every clean pays for this): integer compares
        // only, no logarithms.
        let exactQuality = (1...100).first { q in
            table(StandardTables.luminanceQuantization, q) == luma
                && (chroma.map { table(StandardTables.chrominanceQuantization, q) == $0 } ?? true)
        }
        if let exactQuality {
            quality = exactQuality
            isStandard = true
        } else {
            func logs(_ t: [UInt16]) -> [Double] { t.map { ElementaryFunctions.log(Double(max($0, 1))) } }
            let fileLuma = logs(luma), fileChroma = chroma.map(logs)
            var best = (quality: 50, distance: Double.infinity)
            for q in 1...100 {
                var d = zip(fileLuma, logs(table(StandardTables.luminanceQuantization, q))).reduce(0) { $0 + abs($1.0 - $1.1) }
                if let fileChroma {
                    d += zip(fileChroma, logs(table(StandardTables.chrominanceQuantization, q))).reduce(0) { $0 + abs($1.0 - $1.1) }
                }
                if d < best.distance { best = (q, d) }
            }
            quality = best.quality
            isStandard = false
        }
        switch (chroma == nil, chromaFactors.x, chromaFactors.y) {
        case (true, _, _): subsampling = "gray"
        case (false, 2, 2): subsampling = "4:2:0"
        case (false, 2, 1): subsampling = "4:2:2"
        case (false, 1, 1): subsampling = "4:4:4"
        case (false, 1, 2): subsampling = "4:4:0"
        default: subsampling = "\(chromaFactors.x)x\(chromaFactors.y)"
        }
    }

    /// "quality 85, 4:2:0" or "quality ≈ 85 (custom tables), 4:4:4".
    public var description: String {
        (isStandard ? "quality \(quality)" : "quality ≈ \(quality) (custom tables)") + ", \(subsampling)"
    }
}
