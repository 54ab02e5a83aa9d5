import Testing
@testable import Net

/// A family file (format version 2) round-trips its members in order, and refuses a member
/// count it cannot hold or a family where one model is expected.
@Suite struct ModelFamilyFileTests {
    /// Three different members: the sample model, a smaller one, and one without a residual.
    static func members() -> [Model] {
        var second = Model(layerSizes: [4, 2], seed: 7)
        second.metadata = ["unjpeg.jpeg.quality": "90-98"]
        var third = Model(layerSizes: [6, 3, 3], seed: 9)
        third.metadata = ["unjpeg.jpeg.quality": "50-70", "unjpeg.jpeg.subsampling": "4:4:4"]
        return [ModelFileTests.sampleModel(), second, third]
    }

    @Test func familyRoundTripsItsMembersInOrder() throws {
        let models = Self.members()
        let bytes = ModelFile.serializeFamily(models, precision: .float32)
        #expect(bytes[4] == 2 && bytes[5] == 0)   // version 2
        #expect(Array(bytes[20..<24]) == [3, 0, 0, 0])   // three members
        #expect(try ModelFile.deserializeFamily(bytes) == models)
        // Each member's payload is the single-model file's payload: the family is their concatenation.
        let payloads = models.map { Array(ModelFile.serialize($0, precision: .float32).dropFirst(20)) }
        #expect(Array(bytes.dropFirst(24)) == payloads.flatMap { $0 })
        #expect(ModelFile.precision(of: bytes) == .float32)
        let half = ModelFile.serializeFamily(models, precision: .float16)
        #expect(ModelFile.precision(of: half) == .float16)
        #expect(try ModelFile.deserializeFamily(half).map(\.layerSizes) == models.map(\.layerSizes))
    }

    @Test func membersKeepTheirOwnPrecision() throws {
        let models = Self.members()
        let precisions: [ModelFile.WeightPrecision] = [.float16, .float32, .float16]
        let read = try ModelFile.members(ModelFile.serializeFamily(Array(zip(models, precisions))))
        #expect(read.map(\.precision) == precisions)
        #expect(read[1].model == models[1])   // Float32: exact
        #expect(read[0].model.parameters == models[0].parameters.map { Float(Float16($0)) })
    }

    @Test func oneModelIsWrittenAsASingleModelFile() throws {
        let model = ModelFileTests.sampleModel()
        let bytes = ModelFile.serializeFamily([model], precision: .float16)
        #expect(bytes == ModelFile.serialize(model, precision: .float16))
        #expect(bytes[4] == 1)
        #expect(try ModelFile.deserializeFamily(bytes).count == 1)
    }

    @Test func aFamilyIsNotReadAsOneModel() {
        let bytes = ModelFile.serializeFamily(Self.members())
        #expect(throws: ModelFileError.family(count: 3)) { try ModelFile.deserialize(bytes) }
    }

    @Test func impossibleMemberCountsAndDamageAreRefused() throws {
        let member = Array(ModelFile.serialize(ModelFileTests.sampleModel()).dropFirst(20))
        func family(count: UInt32, payloads: Int) -> [UInt8] {
            var w = ByteWriter()
            w.u32(count)
            for _ in 0..<payloads { w.bytes += member }
            return Envelope.wrap(magic: ModelFile.magic, version: 2, payload: w.bytes)
        }
        #expect(try ModelFile.deserializeFamily(family(count: 2, payloads: 2)).count == 2)
        for count: UInt32 in [0, 1, 65, .max] {
            #expect(throws: ModelFileError.invalidValue(field: "family member count", value: UInt64(count), offset: 20)) {
                try ModelFile.deserializeFamily(family(count: count, payloads: 2))
            }
        }
        // Fewer members than declared: truncated; more: trailing bytes.
        #expect(throws: ModelFileError.self) { try ModelFile.deserializeFamily(family(count: 3, payloads: 2)) }
        #expect(throws: ModelFileError.trailingBytes(offset: 24 + 2 * member.count, count: member.count)) {
            try ModelFile.deserializeFamily(family(count: 2, payloads: 3))
        }
        // Every truncation of a real family file is refused, by the envelope's length; and every
        // truncated payload in an intact envelope, by the member count or the payload's own sizes.
        let bytes = ModelFile.serializeFamily(Self.members())
        for length in Swift.stride(from: 0, to: bytes.count, by: 37) {
            #expect(throws: ModelFileError.self) { try ModelFile.deserializeFamily(Array(bytes.prefix(length))) }
        }
        let payload = Array(bytes.dropFirst(20))
        for length in Swift.stride(from: 0, to: payload.count, by: 13) {
            let cut = Envelope.wrap(magic: ModelFile.magic, version: 2, payload: Array(payload.prefix(length)))
            do {
                _ = try ModelFile.deserializeFamily(cut)
                Issue.record("a payload cut at \(length) of \(payload.count) bytes was accepted")
            } catch {
                switch error {
                case .truncated, .sizeExceedsData: break
                default: Issue.record("a payload cut at \(length): \(error)")
                }
            }
        }
    }
}
