import JPEGCodec
import PNGWriter

/// Options every command that reads images shares.
enum CommonOptions {
    static let maxPixels = OptionSpec.value("max-pixels", "n",
        help: "Refuse images with more pixels than this (checked before decoding).", default: "512000000")
    static let strict = OptionSpec.flag("strict",
        help: "Refuse damaged JPEGs instead of decoding what is there (libjpeg's recovery) with a warning.")
    static func maxPixels(_ arguments: ParsedArguments, command: CommandSpec) throws -> Int {
        try arguments.int("max-pixels", default: 512_000_000, in: 1...(1 << 40), command: command)
    }
    static let maxMemory = OptionSpec.value("max-memory", "MiB",
        help: "Refuse images whose decoding (and cleaning) would need more memory than this, estimated from the header before anything image-sized is allocated.",
        default: "2048")
    /// `--max-memory` in bytes.
    static func maxMemory(_ arguments: ParsedArguments, command: CommandSpec) throws -> Int {
        try arguments.int("max-memory", default: 2048, in: 1...(1 << 30), command: command) << 20
    }
    /// `--png-level`, for the commands that write PNGs.
    static let pngLevel = OptionSpec.value(
        "png-level", "level",
        help: "How hard the PNG's compression works: fast (about 1.7× as fast, 4–8 % larger), default, or best (2–4 % smaller, 4–13× slower); the pixels are the same.",
        default: "default")

    /// The values of `--png-level` and the levels they name.
    static let pngLevels: [(name: String, level: CompressionLevel)] = [("fast", .fast), ("default", .default), ("best", .best)]

    /// The `--png-level` of a command line (a usage error for another value).
    static func pngLevel(_ arguments: ParsedArguments, command: CommandSpec) throws -> CompressionLevel {
        let name = try arguments.choice("png-level", default: "default", among: pngLevels.map(\.name), command: command)
        return pngLevels.first { $0.name == name }?.level ?? .default
    }
}

/// `unjpeg decode`: any supported image (JPEG, PNG, PPM/PGM) to PNG or PPM/PGM.
enum DecodeCommand: Command {
    static let spec = CommandSpec(
        path: "decode",
        abstract: "Decode a JPEG (or PNG, PPM) to PNG or PPM, pixel-identical to libjpeg-turbo.",
        discussion: "The output format follows the output's extension: .ppm/.pgm write binary PNM, anything else PNG. '-' reads standard input or writes standard output (PNG).",
        positionals: [PositionalSpec(name: "input", help: "The image to decode ('-' for standard input).", variadic: false, optional: false)],
        options: [
            .value("output", short: "o", "path", help: "Where to write the decoded image: .png, .ppm, .pgm, or '-' for PNG on standard output.", required: true),
            .flag("no-orientation", help: "Keep the stored pixel order instead of applying the EXIF orientation."),
            CommonOptions.strict,
            CommonOptions.maxPixels,
            CommonOptions.maxMemory,
            CommonOptions.pngLevel,
        ])

    static func run(_ arguments: ParsedArguments) throws {
        let output = try arguments.required("output", command: spec)
        let input = arguments.positionals[0]
        guard let format = ImageFormat.forOutput(output), format != .jpeg else {
            throw UsageError("The output '\(output)' names a format decode cannot write; use .png, .ppm or .pgm (or 'unjpeg compress' for JPEG).", command: spec)
        }
        let level = try CommonOptions.pngLevel(arguments, command: spec)
        try FileIO.checkOutput(output, inputs: [input])
        let loaded = try ImageFile.load(input, maxPixels: try CommonOptions.maxPixels(arguments, command: spec),
                                        maxMemory: try CommonOptions.maxMemory(arguments, command: spec),
                                        strict: arguments.flag("strict"))
        var image = loaded.image
        let orient = !arguments.flag("no-orientation")
        if orient, let jpeg = loaded.jpeg {
            image = image.applyingOrientation(jpeg.orientation)
        }
        let ext = OSPath.pathExtension(output)
        if ext == "pgm" && image.channels != 1 {
            throw RuntimeError("'\(output)': PGM holds gray images and \(ImageFile.displayName(input)) is in colour; use .ppm or .png.")
        }
        if ext == "ppm" && image.channels == 1 {
            image = RasterImage(width: image.width, height: image.height, channels: 3,
                                pixels: image.pixels.flatMap { [$0, $0, $0] })
        }
        let bytes = try ImageFile.encode(image, format: format, carrying: loaded.carried(orientationApplied: orient),
                                         level: level)
        try FileIO.write(bytes, to: output)
    }
}
