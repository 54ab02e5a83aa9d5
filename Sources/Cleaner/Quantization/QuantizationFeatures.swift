import JPEGCodec

/// The file's quantization as a side input of the network: what a quality-aware model reads
/// beside the pixels of each window, so one model can clean every quality and sampling.
///
/// 130 values: the 64 luma steps and the 64 chroma steps of the file (natural order), each as
/// `log2(step) / 4 − 1` (step 1 → −1, 16 → 0, 255 → ≈ 1; a step's effect on the error is
/// multiplicative, so its logarithm is what a network can use linearly), then the chroma's
/// horizontal and vertical subsampling factors minus one (4:2:0 → 1, 1; 4:2:2 → 1, 0;
/// 4:4:4 → 0, 0). A gray file uses its luma table for both and factors 0.
///
/// Stored in training records as 130 bytes (the steps clamped to 1…255, then the two factors
/// minus one), so the features of a record are exact.
public struct QuantizationFeatures: Equatable, Sendable {
    /// Values per window.
    public static let count = 130

    /// The 130 bytes (see the type's description).
    public var bytes: [UInt8]

    /// Features from a luma table, a chroma table (nil: gray) and the chroma's subsampling
    /// factors relative to the image (each 1…4).
    public init(luma: [UInt16], chroma: [UInt16]?, chromaFactors: (x: Int, y: Int)) {
        precondition(luma.count == 64 && (chroma?.count ?? 64) == 64, "quantization tables have 64 entries")
        func step(_ q: UInt16) -> UInt8 { UInt8(min(max(q, 1), 255)) }
        bytes = luma.map(step) + (chroma ?? luma).map(step)
        bytes.append(UInt8(min(max(chromaFactors.x - 1, 0), 3)))
        bytes.append(UInt8(min(max(chromaFactors.y - 1, 0), 3)))
    }

    /// Features from stored bytes (130 of them).
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.count else { return nil }
        self.bytes = bytes
    }

    /// The features of a decoded file: its first component's table as luma, its second's as
    /// chroma, and the second component's subsampling.
    public init(_ input: CleanerInput) {
        let comps = input.components
        guard let first = comps.first else {
            // No coefficients (a PNG, say): the features of a q85 4:2:0 file, the centre of what
            // models are trained on.
            self.init(luma: StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85),
                      chroma: StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 85),
                      chromaFactors: (2, 2))
            return
        }
        self.init(luma: first.quantization, chroma: comps.count >= 2 ? comps[1].quantization : nil,
                  chromaFactors: Self.chromaFactors(of: input))
    }

    /// The second component's subsampling factors relative to the image (1, 1 for gray or
    /// without coefficients).
    static func chromaFactors(of input: CleanerInput) -> (x: Int, y: Int) {
        let comps = input.components
        guard comps.count >= 2 else { return (1, 1) }
        let maxH = comps.map(\.horizontalSampling).max() ?? 1, maxV = comps.map(\.verticalSampling).max() ?? 1
        return (maxH / max(comps[1].horizontalSampling, 1), maxV / max(comps[1].verticalSampling, 1))
    }

    /// The features of a window seen transposed (rows and columns swapped, as a quarter turn
    /// of the training augmentation does): both tables transposed, the factors swapped.
    public var transposed: QuantizationFeatures {
        var out = bytes
        for t in 0..<2 {
            for r in 0..<8 { for c in 0..<8 { out[t * 64 + r * 8 + c] = bytes[t * 64 + c * 8 + r] } }
        }
        out[128] = bytes[129]
        out[129] = bytes[128]
        var copy = self
        copy.bytes = out
        return copy
    }

    /// The network's value of stored byte `i` (0…129) holding `byte`.
    @inline(__always)
    public static func value(index i: Int, byte: UInt8) -> Float {
        i < 128 ? Self.logStep[Int(byte)] : Float(byte)
    }

    /// `log2(step) / 4 − 1` for every byte value (0 is never stored; it maps like 1).
    static let logStep: [Float] = (0...255).map { b in
        Float(ElementaryFunctions.log(Double(max(b, 1))) / ElementaryFunctions.log(2)) / 4 - 1
    }

    /// The 130 network values.
    public var values: [Float] { bytes.enumerated().map { Self.value(index: $0.offset, byte: $0.element) } }
}
