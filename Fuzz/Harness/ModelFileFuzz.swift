// libFuzzer target: the model-file loader and the checkpoint loader (compiled into the Net
// module by Fuzz/run.sh, so it can use the internal CRC-32 and envelope layout).
//
// Each input is tried as given and, when it starts like an envelope, once more with the
// payload length and CRC-32 repaired, so that mutations get past the checksum and reach
// the field parsers. Every input must load or throw a ModelFileError.
import Linalg
#if canImport(Glibc)
import Glibc
#endif

/// Returns `bytes` with the envelope's payload length and CRC-32 set to match the payload.
func repairedEnvelope(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= Envelope.headerSize else { return nil }
    var fixed = bytes
    let length = UInt64(bytes.count - Envelope.headerSize)
    for i in 0..<8 { fixed[8 + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
    let crc = CRC32.checksum(bytes, range: Envelope.headerSize..<bytes.count)
    for i in 0..<4 { fixed[16 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    return fixed
}

func loadBoth(_ bytes: [UInt8]) {
    do throws(ModelFileError) {
        let model = try ModelFile.deserialize(bytes)
        // A loaded model must be usable: serializing it again gives the same model back.
        let again = try ModelFile.deserialize(ModelFile.serialize(model))
        precondition(again.layers == model.layers, "model round trip changed the layers")
    } catch {
        _ = "\(error)"
    }
    do throws(ModelFileError) {
        let trainer = try Trainer(checkpoint: bytes)
        _ = trainer.currentLearningRate
    } catch {
        _ = "\(error)"
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    loadBoth(bytes)
    if let fixed = repairedEnvelope(bytes), fixed != bytes { loadBoth(fixed) }
    return 0
}

/// With UNJPEG_FUZZ_SEEDS=<folder>, writes a small model file and a checkpoint there
/// (the seeds of this target) before fuzzing starts.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzModelFileInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                                    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    guard let folder = getenv("UNJPEG_FUZZ_SEEDS").map({ String(cString: $0) }) else { return 0 }
    var model = Model(layerSizes: [6, 4, 3], residualInputIndices: [0, 2, 5], seed: 7)
    model.metadata = ["kind": "fuzz seed", "window": "2"]
    var trainer = Trainer(model: model, configuration: TrainerConfiguration(
        batchSize: 2, hardExampleEmphasis: 0.5, maxEpochs: nil, maxSteps: 3,
        earlyStopping: EarlyStopping(patience: 2), threads: 1, seed: 3))
    var data = InMemoryDataset(inputs: Matrix(rows: 4, cols: 6, storage: (0..<24).map { Float($0) / 24 }),
                               targets: Matrix(rows: 4, cols: 3, storage: (0..<12).map { Float($0) / 12 }))
    _ = try? trainer.train(on: &data)
    let files: [(String, [UInt8])] = [
        ("model-f32.unjm", ModelFile.serialize(model)),
        ("model-f16.unjm", ModelFile.serialize(model, precision: .float16)),
        ("trained.unjm", ModelFile.serialize(trainer.model)),
        ("trainer.unjc", trainer.checkpoint()),
        ("fresh.unjc", Trainer(model: model).checkpoint()),
    ]
    for (name, bytes) in files {
        let path = folder + "/" + name
        guard let f = fopen(path, "wb") else { continue }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    return 0
}
