import JPEGCodec
import Net

/// One or more cleaning models, each trained for a range of JPEG tables, read from one model
/// file; `clean` gives each file to the member whose training is nearest to the file's
/// ``TableQuality``: its chroma sampling first, then its quality.
///
/// Why a family rather than one network for every quality: a 128-wide network trained over
/// q50–98 gives up about 0.2 dB on real screenshots at q85 (the Twitter point) for hundredths
/// elsewhere (`Notes/experiments.md`, ninth round); a member per range of tables keeps each
/// network as small and as fast as the single default, and costs only its bytes in the file.
public struct ModelFamily: Sendable {
    /// The members, the first being the family's default (a file whose quality is unknown, or
    /// equally near to several members, goes to the earliest of them).
    public private(set) var members: [CleaningModel]

    /// Reads each network's pipeline as ``CleaningModel/init(network:)`` does. With more than
    /// one network, each must say which JPEGs it was trained on (``ModelCoverage``), and not
    /// exactly what an earlier one says, or no file could be given to it.
    public init(networks: [Model]) throws(CleaningModelError) {
        guard !networks.isEmpty else { throw .emptyFamily }
        var members: [CleaningModel] = []
        for (index, network) in networks.enumerated() {
            let member: CleaningModel
            do { member = try CleaningModel(network: network) } catch { throw .member(index + 1, of: networks.count, error) }
            if networks.count > 1 && member.coverage == nil { throw .memberWithoutCoverage(index + 1, of: networks.count) }
            if networks.count > 1, let earlier = members.firstIndex(where: { $0.coverage == member.coverage }) {
                throw .memberShadowed(index + 1, by: earlier + 1, of: networks.count)
            }
            members.append(member)
        }
        self.members = members
    }

    /// False: every member skips its network (see ``CleaningModel/usesNetwork``).
    public var usesNetwork: Bool {
        get { members[0].usesNetwork }
        set { for i in members.indices { members[i].usesNetwork = newValue } }
    }

    /// Applies the same stage overrides to every member's pipeline.
    public mutating func apply(overrides values: [String: String]) throws(StageOverrideError) {
        for i in members.indices { try members[i].pipeline.apply(overrides: values) }
    }

    /// The index of the member for a file of `quality` (nil: unknown, the first member): one
    /// trained on the file's chroma sampling, then the one whose trained qualities are nearest
    /// (0 inside a trained range), then the earliest. Sampling comes first because it changes
    /// the artifacts more than quality does: on 4:2:0 files at q90–95 the q85 4:2:0 network
    /// beats one trained at q90–98 (−0.23 dB on real screenshots at q95), while at 4:4:4 the
    /// q90–98 one wins (+0.11 at q95; `Notes/experiments.md`, tenth round).
    public func memberIndex(for quality: TableQuality?) -> Int {
        guard members.count > 1, let quality else { return 0 }
        let sampling = quality.subsampling == "gray" ? "4:4:4" : quality.subsampling
        var best = (index: 0, key: (Int.max, Int.max))
        for (index, member) in members.enumerated() {
            guard let coverage = member.coverage else { continue }
            let key = (coverage.subsamplings.contains(sampling) ? 0 : 1, coverage.qualityDistance(to: quality.quality))
            if key < best.key { best = (index, key) }
        }
        return best.index
    }

    /// The index of the member that cleans `input` (its tables are read only when there is a
    /// choice).
    public func memberIndex(for input: CleanerInput) -> Int {
        members.count > 1 ? memberIndex(for: TableQuality(input)) : 0
    }

    /// The member that cleans `input`.
    public func member(for input: CleanerInput) -> CleaningModel {
        members[memberIndex(for: input)]
    }

    /// Cleans `input` with its member (``CleaningModel/clean(_:threads:onStage:)``).
    public func clean(_ input: CleanerInput, threads: Int = 1, onStage: ((String, Duration) -> Void)? = nil) -> RasterImage {
        member(for: input).clean(input, threads: threads, onStage: onStage)
    }

    /// How `input` lies outside what its member's network was trained on, or nil
    /// (``CleaningModel/coverageGap(for:)``).
    public func coverageGap(for input: CleanerInput) -> String? {
        member(for: input).coverageGap(for: input)
    }
}
