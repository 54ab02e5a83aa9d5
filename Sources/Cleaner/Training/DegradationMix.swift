import JPEGCodec
import Net

/// A distribution of ``Degradation``s to train one model for many files: qualities, chroma
/// samplings, custom tables and earlier encodes (an upload that was a JPEG before), each
/// image of each pass drawing its own.
public struct DegradationMix: Equatable, Sendable {
    /// Quality ranges: one is chosen uniformly, then a quality uniformly inside it (list a
    /// range twice, or a single quality beside a range, to weight it).
    public var qualities: [ClosedRange<Int>]
    /// Samplings, chosen uniformly (repeat one to weight it).
    public var subsamplings: [EncoderOptions.Subsampling]
    /// Share (0…1) of encodes with custom tables: libjpeg's at the drawn quality, tilted
    /// towards flatter or steeper frequency weighting and jittered per entry, as cameras and
    /// mozjpeg write them.
    public var customTables: Float
    /// Share (0…1) of images that were a JPEG before: quality 60…98, any sampling, the grid
    /// shifted 0…7 px each way.
    public var earlier: Float
    /// Share (0…1) of those earlier encodes that are then downscaled by 0.5…0.9.
    public var downscale: Float

    public init(qualities: [ClosedRange<Int>], subsamplings: [EncoderOptions.Subsampling],
                customTables: Float = 0, earlier: Float = 0, downscale: Float = 0) {
        precondition(!qualities.isEmpty && !subsamplings.isEmpty, "a mix needs a quality and a sampling")
        self.qualities = qualities
        self.subsamplings = subsamplings
        self.customTables = customTables
        self.earlier = earlier
        self.downscale = downscale
    }

    /// The mix that is always `degradation` (no custom tables, no earlier encode).
    public init(_ degradation: Degradation) {
        self.init(qualities: [degradation.quality...degradation.quality], subsamplings: [degradation.subsampling])
    }

    /// True when every draw is the same plain degradation.
    public var fixed: Degradation? {
        guard qualities.count == 1, qualities[0].count == 1, Set(subsamplings.map { "\($0)" }).count == 1,
              customTables == 0, earlier == 0 else { return nil }
        return Degradation(quality: qualities[0].lowerBound, subsampling: subsamplings[0])
    }

    /// One degradation, reproducible from the generator's state.
    public func draw(using rng: inout SplitMix64) -> Degradation {
        let range = qualities[rng.nextInt(below: qualities.count)]
        let quality = range.lowerBound + rng.nextInt(below: range.count)
        let subsampling = subsamplings[rng.nextInt(below: subsamplings.count)]
        var degradation = Degradation(quality: quality, subsampling: subsampling)
        if rng.nextUnitFloat() < customTables {
            degradation.quantizationTables = Self.customTables(quality: quality, using: &rng)
        }
        if rng.nextUnitFloat() < earlier {
            let all: [EncoderOptions.Subsampling] = [.yuv420, .yuv422, .yuv444]
            var e = Degradation.EarlierEncode(quality: 60 + rng.nextInt(below: 39), subsampling: all[rng.nextInt(below: 3)],
                                              shiftX: rng.nextInt(below: 8), shiftY: rng.nextInt(below: 8))
            if rng.nextUnitFloat() < downscale { e.scale = 0.5 + 0.4 * rng.nextUnitFloat() }
            degradation.earlier = e
        }
        return degradation
    }

    /// libjpeg's tables at `quality`, each entry multiplied by `exp(tilt · (f − ½) + jitter)`
    /// where f = (u + v)/14 is the entry's frequency (0…1), tilt is drawn from −0.7…0.7 per
    /// table and jitter from about ±0.15 per entry; clamped to 1…255.
    static func customTables(quality: Int, using rng: inout SplitMix64) -> [[UInt16]] {
        [StandardTables.luminanceQuantization, StandardTables.chrominanceQuantization].map { base in
            let table = StandardTables.scaledQuantization(base, quality: quality)
            let tilt = Double(rng.nextUnitFloat() * 1.4 - 0.7)
            return table.enumerated().map { i, q in
                let f = Double(i / 8 + i % 8) / 14
                let jitter = Double(rng.nextUnitFloat() + rng.nextUnitFloat() - 1) * 0.15
                let scaled = Double(q) * ElementaryFunctions.exp(tilt * (f - 0.5) + jitter)
                return UInt16(min(max(scaled.rounded(), 1), 255))
            }
        }
    }
}
