import Linalg
import Testing
@testable import Net
import LZ77

/// The model file round-trips exactly and refuses every kind of damaged or foreign data.
@Suite struct ModelFileTests {
    /// A small model with every optional part filled in.
    static func sampleModel() -> Model {
        var model = Model(layerSizes: [6, 5, 4, 3], residualInputIndices: [1, 3, 5], seed: 42)
        model.inputNormalization = Normalization(kind: .perFeature, mean: [0.5, 0.4, 0.3, 0.2, 0.1, 0],
                                                 standardDeviation: [1, 2, 3, 4, 5, 6])!
        model.outputScaling = Normalization(kind: .global, mean: [0.01], standardDeviation: [0.05])!
        model.metadata = ["jpeg.quality": "85", "jpeg.subsampling": "4:2:0", "window": "24", "stride": "8", "note": "ü"]
        // Non-zero biases and a tiny weight so that the Float16 test sees subnormal halves too.
        for i in model.parameters.indices where i % 7 == 0 { model.parameters[i] = Float(i) * 1e-3 - 0.05 }
        model.parameters[1] = 3e-6
        return model
    }

    @Test func float32RoundTripIsBitExact() throws {
        let model = Self.sampleModel()
        let bytes = ModelFile.serialize(model, precision: .float32)
        let loaded = try ModelFile.deserialize(bytes)
        #expect(loaded == model)
        #expect(loaded.parameters.map(\.bitPattern) == model.parameters.map(\.bitPattern))
        #expect(Array(bytes.prefix(4)) == Array("UNJM".utf8))
        #expect(ModelFile.serialize(loaded, precision: .float32) == bytes)
    }

    @Test func float16RoundTripIsWithinHalfRounding() throws {
        let model = Self.sampleModel()
        let bytes = ModelFile.serialize(model, precision: .float16)
        #expect(bytes.count < ModelFile.serialize(model, precision: .float32).count - model.parameters.count)
        let loaded = try ModelFile.deserialize(bytes)
        #expect(loaded.layers == model.layers && loaded.metadata == model.metadata)
        #expect(loaded.inputNormalization == model.inputNormalization && loaded.outputScaling == model.outputScaling)
        #expect(loaded.residualInputIndices == model.residualInputIndices)
        for (a, b) in zip(model.parameters, loaded.parameters) {
            // Half precision: 11 significant bits (relative error ≤ 2⁻¹¹), absolute ≤ 2⁻²⁵ near zero.
            #expect(abs(a - b) <= abs(a) * 0x1p-11 + 0x1p-25, "\(a) became \(b)")
            #expect(b == Float(Float16(a)))
        }
        #expect(loaded.parameters[1] != 0)
    }

    @Test func everyTruncationIsRefused() {
        let bytes = ModelFile.serialize(Self.sampleModel())
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self) { try ModelFile.deserialize(Array(bytes.prefix(length))) }
            do {
                _ = try ModelFile.deserialize(Array(bytes.prefix(length)))
            } catch {
                guard case .truncated = error else {
                    Issue.record("prefix of \(length) bytes gave \(error)")
                    continue
                }
            }
        }
    }

    @Test func everyCorruptByteIsRefused() {
        let bytes = ModelFile.serialize(Self.sampleModel())
        for position in 0..<bytes.count {
            for flip: UInt8 in [0x01, 0x80] {
                var damaged = bytes
                damaged[position] ^= flip
                #expect(throws: ModelFileError.self, "flip \(flip) at \(position)") { try ModelFile.deserialize(damaged) }
            }
        }
        var damaged = bytes
        damaged[bytes.count - 3] ^= 0x10  // inside the weights
        #expect {
            try ModelFile.deserialize(damaged)
        } throws: { error in
            guard case let .checksumMismatch(declared, computed) = error as? ModelFileError else { return false }
            return declared != computed
        }
        var extra = bytes
        extra.append(0)
        #expect(throws: ModelFileError.trailingBytes(offset: bytes.count, count: 1)) { try ModelFile.deserialize(extra) }
    }

    @Test func foreignAndNewerFilesAreRefused() {
        let bytes = ModelFile.serialize(Self.sampleModel())
        var png = bytes
        png.replaceSubrange(0..<4, with: [0x89, 0x50, 0x4E, 0x47])
        #expect(throws: ModelFileError.foreignMagic(expected: Array("UNJM".utf8), found: [0x89, 0x50, 0x4E, 0x47])) {
            try ModelFile.deserialize(png)
        }
        var newer = bytes
        newer[4] = 3
        #expect(throws: ModelFileError.unsupportedVersion(found: 3, supported: 2)) { try ModelFile.deserialize(newer) }
        let checkpoint = Trainer(model: Self.sampleModel()).checkpoint()
        #expect(throws: ModelFileError.foreignMagic(expected: Array("UNJM".utf8), found: Array("UNJC".utf8))) {
            try ModelFile.deserialize(checkpoint)
        }
    }

    /// Wraps a hand-made payload in a valid envelope (correct length and CRC), so that only
    /// the payload's own checks can refuse it.
    static func file(_ build: (inout ByteWriter) -> Void) -> [UInt8] {
        var w = ByteWriter()
        build(&w)
        return Envelope.wrap(magic: ModelFile.magic, version: ModelFile.singleModelVersion, payload: w.bytes)
    }

    /// The start of a valid payload for a 2→3→1 model, up to the metadata.
    static func header(_ w: inout ByteWriter, residual: Bool = false) {
        w.u32(2); w.u32(2); w.u32(3); w.u32(1)
        w.u8(1); w.u8(0)  // activations
        w.u8(0)  // Float32
        w.u8(residual ? 1 : 0)
        if residual { w.uint32s([1]) }
        for _ in 0..<2 { w.u8(0); w.u64(0); w.u64(0) }  // identity normalisations
    }

    @Test func handMadeMinimalFileLoads() throws {
        let bytes = Self.file { w in
            Self.header(&w, residual: true)
            w.u32(0)
            w.floats32((0..<13).map(Float.init))
        }
        let model = try ModelFile.deserialize(bytes)
        #expect(model.layerSizes == [2, 3, 1] && model.residualInputIndices == [1])
        #expect(model.parameters == (0..<13).map(Float.init))
    }

    @Test func absurdDeclaredSizesAreRefusedWithoutAllocating() {
        func expectRefused(_ bytes: [UInt8], _ check: (ModelFileError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try ModelFile.deserialize(bytes)
                Issue.record("accepted", sourceLocation: sourceLocation)
            } catch {
                #expect(check(error), "\(error)", sourceLocation: sourceLocation)
            }
        }
        // 4 billion layers.
        expectRefused(Self.file { $0.u32(.max) }) {
            if case .invalidValue("layer count", 0xFFFF_FFFF, 20) = $0 { return true } else { return false }
        }
        // 4000 layers (allowed) but no room for their sizes.
        expectRefused(Self.file { $0.u32(4000); $0.u32(1) }) {
            if case .sizeExceedsData(field: "layer sizes", declaredBytes: 16004, availableBytes: 4, offset: 20) = $0 { return true } else { return false }
        }
        // Layers of 2^24 × 2^24: 2^48 parameters declared, far more than the file holds.
        expectRefused(Self.file { w in
            w.u32(1); w.u32(1 << 24); w.u32(1 << 24); w.u8(0); w.u8(0); w.u8(0)
            for _ in 0..<2 { w.u8(0); w.u64(0); w.u64(0) }
            w.u32(0)
            w.u64((1 << 48) + (1 << 24))
        }) {
            if case .sizeExceedsData(field: "parameters", declaredBytes: _, availableBytes: 0, offset: _) = $0 { return true } else { return false }
        }
        // Residual index count 2^62: its byte size overflows UInt64.
        expectRefused(Self.file { w in
            w.u32(1); w.u32(2); w.u32(1); w.u8(0); w.u8(0); w.u8(1); w.u64(1 << 62)
        }) {
            if case .sizeExceedsData(field: "residual indices", declaredBytes: nil, availableBytes: _, offset: _) = $0 { return true } else { return false }
        }
        // A normalisation with 2^60 means.
        expectRefused(Self.file { w in
            w.u32(1); w.u32(2); w.u32(1); w.u8(0); w.u8(0); w.u8(0); w.u8(2); w.u64(1 << 60)
        }) {
            if case .sizeExceedsData(field: "input normalisation means", declaredBytes: _, availableBytes: 0, offset: _) = $0 { return true } else { return false }
        }
        // 4 billion metadata entries, and a metadata key of 4 GB.
        expectRefused(Self.file { Self.header(&$0); $0.u32(.max) }) {
            if case .sizeExceedsData(field: "metadata", declaredBytes: _, availableBytes: 0, offset: _) = $0 { return true } else { return false }
        }
        expectRefused(Self.file { Self.header(&$0); $0.u32(1); $0.u32(.max); $0.u32(0) }) {
            if case .sizeExceedsData(field: "metadata key", declaredBytes: 0xFFFF_FFFF, availableBytes: 4, offset: _) = $0 { return true } else { return false }
        }
        // A payload length of 2^64 − 1 in the envelope.
        var huge = ModelFile.serialize(Self.sampleModel())
        for i in 8..<16 { huge[i] = 0xFF }
        expectRefused(huge) { if case .truncated(offset: 20, needed: Int.max, available: _) = $0 { return true } else { return false } }
    }

    @Test func inconsistentFieldsAreRefused() {
        func refusal(_ build: (inout ByteWriter) -> Void) -> ModelFileError? {
            do { _ = try ModelFile.deserialize(Self.file(build)); return nil } catch { return error }
        }
        // Wrong parameter count for the architecture (13 needed).
        #expect(refusal { Self.header(&$0); $0.u32(0); $0.floats32([Float](repeating: 0, count: 12)) }
                == .inconsistent(field: "parameter count", found: 12, expected: 13, offset: 78))
        // Residual index out of range (input size 2).
        if case .invalidValue(field: "residual indices", value: 2, offset: _) = refusal({ w in
            w.u32(1); w.u32(2); w.u32(1); w.u8(0); w.u8(0); w.u8(1); w.uint32s([2])
        }) {} else { Issue.record("residual index 2 of 2 inputs was not refused") }
        // Unknown activation, zero layer size, non-finite weights, invalid UTF-8, bytes left over.
        #expect(refusal { w in w.u32(1); w.u32(2); w.u32(1); w.u8(9) } == .invalidValue(field: "activation", value: 9, offset: 32))
        #expect(refusal { w in w.u32(1); w.u32(0); w.u32(1) } == .invalidValue(field: "layer size", value: 0, offset: 24))
        if case .invalidValue(field: "non-finite parameter", value: _, offset: _) = refusal({ w in
            Self.header(&w); w.u32(0); w.floats32([Float](repeating: .nan, count: 13))
        }) {} else { Issue.record("NaN weights were not refused") }
        if case .invalidText = refusal({ w in Self.header(&w); w.u32(1); w.u32(1); w.u8(0xFF); w.u32(0) }) {} else {
            Issue.record("invalid UTF-8 was not refused")
        }
        if case .trailingBytes = refusal({ w in Self.header(&w); w.u32(0); w.floats32([Float](repeating: 0, count: 13)); w.u8(0) }) {} else {
            Issue.record("bytes after the parameters were not refused")
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(ModelFileError.truncated(offset: 20, needed: 8, available: 3).description
                == "file is truncated: at byte 20 a field needs 8 bytes but only 3 remain")
        #expect(ModelFileError.checksumMismatch(declared: 0xDEADBEEF, computed: 1).description
                == "file is corrupt: stored CRC-32 0xDEADBEEF but the payload's is 0x00000001")
        #expect(ModelFileError.foreignMagic(expected: Array("UNJM".utf8), found: [0x89, 0x50]).description
                == "not a file of this kind: expected magic \"UNJM\", found [89 50]")
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        // Slicing-by-8 against the bytewise definition on a long, unaligned input.
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data[3...] {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        #expect(CRC32.checksum(data, range: 3..<1000) == crc ^ 0xFFFF_FFFF)
    }
}
