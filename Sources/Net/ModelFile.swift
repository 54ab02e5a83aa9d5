/// The model file: a versioned, checksummed, little-endian binary serialisation of a ``Model``
/// (version 1) or of a family of them (version 2: ``serializeFamily(_:precision:)``).
///
/// Net does no file I/O: it turns a model into bytes and back; the caller writes and reads the
/// file (atomically). Layout (version 1), after the 20-byte envelope described in
/// `BinaryCoding.swift` (magic `"UNJM"`, UInt16 version, UInt16 reserved = 0, UInt64 payload
/// length, UInt32 CRC-32 of the payload):
///
/// ```
/// UInt32      L, the number of layers (1…4096)
/// UInt32[L+1] layer sizes: input size, then each layer's output size (1…2^24 each)
/// UInt8[L]    activation per layer (0 identity, 1 scaled tanh)
/// UInt8       weight precision (0 Float32, 1 Float16)
/// UInt8       residual present (0/1); if 1: UInt64 n (= output size), UInt32[n] input indices
/// 2 ×         normalisation (input, then output scaling):
///               UInt8 kind (0 identity, 1 global, 2 per-feature),
///               UInt64 n, Float32[n] means, UInt64 n, Float32[n] standard deviations
/// UInt32      metadata entry count; per entry: UInt32 length + UTF-8 key,
///                                               UInt32 length + UTF-8 value (sorted by key)
/// UInt64      parameter count (must equal the architecture's), then the parameters
///             layer after layer (weights inputSize × outputSize row-major, then biases)
///             as Float32 or IEEE Float16
/// ```
///
/// Version 2 (a family: several networks, each for a range of JPEG tables its metadata names)
/// holds a UInt32 member count (2…``maximumFamilySize``), then that many version-1 payloads.
///
/// The reader refuses data that is truncated, foreign, newer, corrupt (checksum), has trailing
/// bytes or inconsistent fields, with a ``ModelFileError``; every declared size is checked
/// against the bytes that remain before anything is allocated for it.
public enum ModelFile {
    /// The four bytes every model file starts with.
    public static let magic: [UInt8] = Array("UNJM".utf8)
    /// The newest format version this build reads and writes: 1 for one model, 2 for a family.
    public static let currentVersion: UInt16 = 2
    /// The version of a file holding one model (every file a single model is written to).
    public static let singleModelVersion: UInt16 = 1
    /// The largest number of members a family file may declare.
    public static let maximumFamilySize = 64
    /// The largest number of layers a file may declare.
    public static let maximumLayerCount = 4096
    /// The largest layer size a file may declare.
    public static let maximumLayerSize = 1 << 24

    /// How the parameters are stored.
    public enum WeightPrecision: UInt8, Equatable, Sendable, CaseIterable {
        /// IEEE single precision: the round trip is bit-exact.
        case float32 = 0
        /// IEEE half precision (round to nearest even): half the size; relative error ≤ 2⁻¹¹
        /// for weights of magnitude between 2⁻¹⁴ and 65504.
        case float16 = 1
    }

    /// The bytes of a model file holding `model`, with parameters stored at `precision`.
    public static func serialize(_ model: Model, precision: WeightPrecision = .float32) -> [UInt8] {
        let weightBytes = model.parameters.count * (precision == .float32 ? 4 : 2)
        var w = ByteWriter(capacity: weightBytes + 4096)
        writeModel(model, precision: precision, into: &w)
        return Envelope.wrap(magic: magic, version: singleModelVersion, payload: w.bytes)
    }

    /// Appends a model payload (without envelope) to `w`.
    static func writeModel(_ model: Model, precision: WeightPrecision, into w: inout ByteWriter) {
        w.u32(UInt32(model.layers.count))
        for size in model.layerSizes { w.u32(UInt32(size)) }
        for layer in model.layers { w.u8(layer.activation.rawValue) }
        w.u8(precision.rawValue)
        if let residual = model.residualInputIndices {
            w.u8(1)
            w.uint32s(residual)
        } else {
            w.u8(0)
        }
        for normalization in [model.inputNormalization, model.outputScaling] {
            w.u8(normalization.kind.rawValue)
            w.floats32(normalization.mean)
            w.floats32(normalization.standardDeviation)
        }
        let entries = model.metadata.sorted { $0.key < $1.key }
        w.u32(UInt32(entries.count))
        for (key, value) in entries {
            w.string(key)
            w.string(value)
        }
        switch precision {
        case .float32: w.floats32(model.parameters)
        case .float16: w.floats16(model.parameters)
        }
    }

    /// The weight precision a model file was written with (nil when `bytes` is not a model
    /// file that ``deserializeFamily(_:)`` accepts), so a tool that rewrites a file can keep it;
    /// for a family, the first member's (each member's: ``members(_:)``).
    public static func precision(of bytes: [UInt8]) -> WeightPrecision? {
        (try? members(bytes))?.first?.precision
    }

    /// The model stored in `bytes`.
    /// - Throws: ``ModelFileError`` if the data is not a complete, intact model file of a
    ///   supported version, or holds a family (``ModelFileError/family(count:)``).
    public static func deserialize(_ bytes: [UInt8]) throws(ModelFileError) -> Model {
        let models = try deserializeFamily(bytes)
        guard models.count == 1 else { throw .family(count: models.count) }
        return models[0]
    }

    /// The bytes of a family file holding `models` (1…``maximumFamilySize``), each stored at
    /// `precision`; one model is written as a single-model file (version 1), as
    /// ``serialize(_:precision:)``.
    public static func serializeFamily(_ models: [Model], precision: WeightPrecision = .float32) -> [UInt8] {
        serializeFamily(models.map { ($0, precision) })
    }

    /// The bytes of a family file whose members each keep their own weight precision.
    public static func serializeFamily(_ members: [(model: Model, precision: WeightPrecision)]) -> [UInt8] {
        precondition((1...maximumFamilySize).contains(members.count), "a family has 1…\(maximumFamilySize) members")
        if members.count == 1 { return serialize(members[0].model, precision: members[0].precision) }
        let weightBytes = members.reduce(0) { $0 + $1.model.parameters.count * ($1.precision == .float32 ? 4 : 2) }
        var w = ByteWriter(capacity: weightBytes + 4096 * members.count)
        w.u32(UInt32(members.count))
        for member in members { writeModel(member.model, precision: member.precision, into: &w) }
        return Envelope.wrap(magic: magic, version: currentVersion, payload: w.bytes)
    }

    /// The models stored in `bytes`: one for a single-model file, the members in order for a
    /// family.
    /// - Throws: ``ModelFileError`` if the data is not a complete, intact model file of a
    ///   supported version.
    public static func deserializeFamily(_ bytes: [UInt8]) throws(ModelFileError) -> [Model] {
        try members(bytes).map(\.model)
    }

    /// The models stored in `bytes` (as ``deserializeFamily(_:)``), each with the precision its
    /// weights are stored at.
    public static func members(_ bytes: [UInt8]) throws(ModelFileError) -> [(model: Model, precision: WeightPrecision)] {
        var r = try Envelope.open(bytes, magic: magic, version: currentVersion)
        var count = 1
        if bytes[4] == 2 {   // the version (little-endian UInt16; Envelope.open checked it is 1 or 2)
            let at = r.offset
            count = Int(try r.u32())
            guard (2...maximumFamilySize).contains(count) else {
                throw .invalidValue(field: "family member count", value: UInt64(count), offset: at)
            }
        }
        var models: [(model: Model, precision: WeightPrecision)] = []
        for _ in 0..<count { models.append(try readModel(&r)) }
        if !r.isAtEnd { throw .trailingBytes(offset: r.offset, count: r.remaining) }
        return models
    }

    /// Reads a model payload (without envelope) from `r`, and the precision its weights were
    /// stored at.
    static func readModel(_ r: inout ByteReader) throws(ModelFileError) -> (model: Model, precision: WeightPrecision) {
        var at = r.offset
        let layerCount = Int(try r.u32())
        guard layerCount >= 1 && layerCount <= maximumLayerCount else {
            throw .invalidValue(field: "layer count", value: UInt64(layerCount), offset: at)
        }
        try r.checkFits(field: "layer sizes", count: UInt64(layerCount + 1), elementSize: 4, at: at)
        var sizes = [Int]()
        sizes.reserveCapacity(layerCount + 1)
        for _ in 0...layerCount {
            at = r.offset
            let size = Int(try r.u32())
            guard size >= 1 && size <= maximumLayerSize else {
                throw .invalidValue(field: "layer size", value: UInt64(size), offset: at)
            }
            sizes.append(size)
        }
        var layers = [DenseLayer]()
        for l in 0..<layerCount {
            at = r.offset
            let code = try r.u8()
            guard let activation = LayerActivation(rawValue: code) else {
                throw .invalidValue(field: "activation", value: UInt64(code), offset: at)
            }
            layers.append(DenseLayer(inputSize: sizes[l], outputSize: sizes[l + 1], activation: activation))
        }
        at = r.offset
        let precisionCode = try r.u8()
        guard let precision = WeightPrecision(rawValue: precisionCode) else {
            throw .invalidValue(field: "weight precision", value: UInt64(precisionCode), offset: at)
        }
        var residual: [Int]? = nil
        if try r.bool(field: "residual flag") {
            at = r.offset
            let indices = try r.uint32s(field: "residual indices", limit: sizes[0] - 1)
            guard indices.count == sizes[layerCount] else {
                throw .inconsistent(field: "residual index count", found: UInt64(indices.count),
                                    expected: UInt64(sizes[layerCount]), offset: at)
            }
            residual = indices
        }
        let inputNormalization = try readNormalization(&r, field: "input normalisation", featureCount: sizes[0])
        let outputScaling = try readNormalization(&r, field: "output scaling", featureCount: sizes[layerCount])
        at = r.offset
        let entryCount = try r.u32()
        try r.checkFits(field: "metadata", count: UInt64(entryCount), elementSize: 8, at: at)
        var metadata = [String: String]()
        for _ in 0..<entryCount {
            let key = try r.string(field: "metadata key")
            metadata[key] = try r.string(field: "metadata value")
        }
        // Parameter count the architecture needs, without overflow.
        var expected: UInt64 = 0
        for layer in layers {
            expected += UInt64(layer.inputSize + 1) * UInt64(layer.outputSize)  // ≤ 2^49 per layer
        }
        at = r.offset
        let declared = try r.u64()
        guard declared == expected else {
            throw .inconsistent(field: "parameter count", found: declared, expected: expected, offset: at)
        }
        let elementSize = precision == .float32 ? 4 : 2
        try r.checkFits(field: "parameters", count: declared, elementSize: elementSize, at: at)
        r = ByteReader(rewindingTo: at, r)
        let parameters = precision == .float32 ? try r.floats32(field: "parameters") : try r.floats16(field: "parameters")
        guard parameters.allSatisfy({ $0.isFinite }) else {
            throw .invalidValue(field: "non-finite parameter", value: 0, offset: at)
        }
        return (Model(uncheckedLayers: layers, parameters: parameters, inputNormalization: inputNormalization,
                      outputScaling: outputScaling, residualInputIndices: residual, metadata: metadata), precision)
    }

    private static func readNormalization(_ r: inout ByteReader, field: String,
                                          featureCount: Int) throws(ModelFileError) -> Normalization {
        let at = r.offset
        let code = try r.u8()
        guard let kind = Normalization.Kind(rawValue: code) else {
            throw .invalidValue(field: field + " kind", value: UInt64(code), offset: at)
        }
        let mean = try r.floats32(field: field + " means")
        let sd = try r.floats32(field: field + " standard deviations")
        guard let n = Normalization(kind: kind, mean: mean, standardDeviation: sd),
              n.fits(featureCount: featureCount) else {
            throw .invalidValue(field: field + " statistics count", value: UInt64(mean.count), offset: at)
        }
        return n
    }
}
