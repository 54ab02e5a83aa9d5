import JPEGCodec
import Net
import Testing
@testable import Cleaner

/// A family gives each file to the member trained nearest to its tables, and cleans exactly
/// as that member alone would.
@Suite struct ModelFamilyTests {
    /// A small valid network trained (by its metadata) on `quality` and `subsampling`.
    static func network(quality: String, subsampling: String, seed: UInt64) -> Model {
        var network = Model(layerSizes: [1728, 4, 192], seed: seed)
        network.metadata = CleaningModel.metadata(for: CleaningOptions(), quality: 85, subsampling: "4:2:0")
        network.metadata[ModelCoverage.Key.quality] = quality
        network.metadata[ModelCoverage.Key.subsampling] = subsampling
        return network
    }

    static func input(quality: Int, subsampling: EncoderOptions.Subsampling = .yuv420) throws -> CleanerInput {
        CleanerInput(try JPEGDecoder.decode(try Degradation(quality: quality, subsampling: subsampling)
            .encode(syntheticImage(40, 32, seed: 3))))
    }

    @Test func eachFileGoesToTheNearestMember() throws {
        let family = try ModelFamily(networks: [Self.network(quality: "85", subsampling: "4:2:0", seed: 1),
                                                Self.network(quality: "95,90-98", subsampling: "4:2:0", seed: 2),
                                                Self.network(quality: "50-70", subsampling: "4:2:0", seed: 3),
                                                Self.network(quality: "85,50-98", subsampling: "4:4:4,4:2:2", seed: 4)])
        func member(_ quality: Int, _ subsampling: EncoderOptions.Subsampling = .yuv420) throws -> Int {
            family.memberIndex(for: TableQuality(try Self.input(quality: quality, subsampling: subsampling)))
        }
        // 4:2:0: the nearest quality among the 4:2:0 members.
        #expect(try member(85) == 0)
        #expect(try member(87) == 0)    // 2 from 85, 3 from 90
        #expect(try member(88) == 1)    // 3 from 85, 2 from 90
        #expect(try member(95) == 1)
        #expect(try member(100) == 1)
        #expect(try member(78) == 0)    // 7 from 85, 8 from 70
        #expect(try member(77) == 2)    // 8 from 85, 7 from 70
        #expect(try member(20) == 2)
        // 4:4:4 and 4:2:2: the member trained on them, at any quality; gray counts as 4:4:4.
        for quality in [20, 60, 85, 95] {
            #expect(try member(quality, .yuv444) == 3)
            #expect(try member(quality, .yuv422) == 3)
        }
        // Samplings are matched by their canonical names ("444" as train also accepts it).
        let short = try ModelFamily(networks: [Self.network(quality: "85", subsampling: "4:2:0", seed: 1),
                                               Self.network(quality: "85", subsampling: "444, 422", seed: 2)])
        #expect(short.members[1].coverage?.subsamplings == ["4:4:4", "4:2:2"])
        #expect(short.memberIndex(for: TableQuality(try Self.input(quality: 85, subsampling: .yuv444))) == 1)
        var gray = try #require(TableQuality(try Self.input(quality: 85)))
        gray.subsampling = "gray"
        #expect(family.memberIndex(for: gray) == 3)
        #expect(family.memberIndex(for: nil) == 0)
        // Equal keys go to the earlier member; a sampling no member has goes by quality alone.
        let tie = try ModelFamily(networks: [Self.network(quality: "80", subsampling: "4:2:0", seed: 1),
                                             Self.network(quality: "90", subsampling: "4:2:0", seed: 2)])
        #expect(tie.memberIndex(for: TableQuality(try Self.input(quality: 85))) == 0)
        #expect(tie.memberIndex(for: TableQuality(try Self.input(quality: 89, subsampling: .yuv444))) == 1)
    }

    @Test func aFamilyCleansAsItsChosenMember() throws {
        let networks = [Self.network(quality: "85", subsampling: "4:2:0", seed: 1),
                        Self.network(quality: "90-98", subsampling: "4:2:0", seed: 2)]
        let family = try ModelFamily(networks: networks)
        for (quality, index) in [(85, 0), (95, 1)] {
            let input = try Self.input(quality: quality)
            let alone = try CleaningModel(network: networks[index])
            let other = try CleaningModel(network: networks[1 - index])
            #expect(family.clean(input).pixels == alone.clean(input).pixels)
            #expect(family.clean(input).pixels != other.clean(input).pixels)
            #expect(family.coverageGap(for: input) == nil)
        }
        // Overrides and --no-network reach every member.
        var changed = family
        try changed.apply(overrides: ["flat-area": "0"])
        changed.usesNetwork = false
        #expect(changed.members.allSatisfy { $0.pipeline.stage(FlatAreaStage.self) == nil && !$0.usesNetwork })
    }

    @Test func membersThatCannotBeChosenAreRefused() throws {
        var bare = Self.network(quality: "85", subsampling: "4:2:0", seed: 2)
        bare.metadata[ModelCoverage.Key.quality] = nil
        _ = try ModelFamily(networks: [bare])   // alone, it needs no coverage
        #expect(throws: CleaningModelError.memberWithoutCoverage(2, of: 2)) {
            try ModelFamily(networks: [Self.network(quality: "85", subsampling: "4:2:0", seed: 1), bare])
        }
        var broken = Self.network(quality: "90-98", subsampling: "4:2:0", seed: 3)
        broken.metadata["unjpeg.network.window"] = "256"
        #expect(throws: CleaningModelError.member(2, of: 2, .invalidMetadata(key: "unjpeg.network.window", value: "256"))) {
            try ModelFamily(networks: [Self.network(quality: "85", subsampling: "4:2:0", seed: 1), broken])
        }
        #expect(throws: CleaningModelError.emptyFamily) { try ModelFamily(networks: []) }
        // A member that says what an earlier one says could never be chosen.
        #expect(throws: CleaningModelError.memberShadowed(3, by: 1, of: 3)) {
            try ModelFamily(networks: [Self.network(quality: "85", subsampling: "4:2:0", seed: 1),
                                       Self.network(quality: "90-98", subsampling: "4:2:0", seed: 2),
                                       Self.network(quality: "85", subsampling: "420", seed: 3)])
        }
        #expect(CleaningModelError.memberWithoutCoverage(2, of: 2).description.hasPrefix("Network 2 of the model's 2 does not say"))
    }
}
