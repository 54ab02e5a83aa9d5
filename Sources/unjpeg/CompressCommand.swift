import JPEGCodec

/// `unjpeg compress`: what will Twitter do to my image? Encodes like Pillow/libjpeg,
/// byte for byte.
enum CompressCommand: Command {
    static let spec = CommandSpec(
        path: "compress",
        abstract: "Encode an image as JPEG exactly as Pillow/libjpeg would (Twitter: quality 85, 4:2:0).",
        positionals: [PositionalSpec(name: "input", help: "A PNG, JPEG or PPM/PGM image ('-' for standard input).", variadic: false, optional: false)],
        options: [
            .value("output", short: "o", "path", help: "The JPEG to write ('-' for standard output).", required: true),
            .value("quality", "q", help: "Quality 1…100 (libjpeg scaling of the standard tables).", default: "85"),
            .value("subsampling", "s", help: "Chroma subsampling: 4:4:4, 4:2:2 or 4:2:0.", default: "4:2:0"),
            .flag("optimize", help: "Optimal Huffman tables (Pillow's optimize=True)."),
            .value("restart", "n", help: "A restart marker every n MCUs (0: none).", default: "0"),
            CommonOptions.maxPixels,
            CommonOptions.maxMemory,
        ])

    static func subsampling(_ text: String?) throws -> EncoderOptions.Subsampling {
        switch text ?? "4:2:0" {
        case "4:4:4", "444": return .yuv444
        case "4:2:2", "422": return .yuv422
        case "4:2:0", "420": return .yuv420
        default:
            throw UsageError("The value '\(text ?? "")' is invalid for '--subsampling': expected 4:4:4, 4:2:2 or 4:2:0.", command: spec)
        }
    }

    static func run(_ arguments: ParsedArguments) throws {
        let output = try arguments.required("output", command: spec)
        if ImageFormat.forOutput(output).map({ $0 != .jpeg && !OSPath.pathExtension(output).isEmpty }) ?? true {
            throw UsageError("compress writes JPEG, but the output '\(output)' ends in '.\(OSPath.pathExtension(output))'. Name it .jpg.", command: spec)
        }
        var options = EncoderOptions()
        options.quality = try arguments.int("quality", default: 85, in: 1...100, command: spec)
        options.subsampling = try subsampling(arguments.value("subsampling"))
        options.optimizeHuffman = arguments.flag("optimize")
        options.restartInterval = try arguments.int("restart", default: 0, in: 0...65535, command: spec)
        let input = arguments.positionals[0]
        try FileIO.checkOutput(output, inputs: [input])
        let loaded = try ImageFile.load(input, maxPixels: try CommonOptions.maxPixels(arguments, command: spec),
                                        maxMemory: try CommonOptions.maxMemory(arguments, command: spec))
        options.iccProfile = loaded.iccProfile
        let bytes: [UInt8]
        do { bytes = try JPEGEncoder.encode(loaded.image, options: options) }
        catch { throw RuntimeError("\(input): \(error)") }
        try FileIO.write(bytes, to: output)
    }
}
