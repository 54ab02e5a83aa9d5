import JPEGCodec

/// Options every command that reads images shares.
enum CommonOptions {
    static let maxPixels = OptionSpec.value("max-pixels", "n",
        help: "Refuse images with more pixels than this (checked before decoding).", default: "512000000")
    static let strict = OptionSpec.flag("strict",
        help: "Refuse damaged JPEGs instead of decoding what is there (libjpeg's recovery) with a warning.")
    static func maxPixels(_ arguments: ParsedArguments, command: CommandSpec) throws -> Int {
        try arguments.int("max-pixels", default: 512_000_000, in: 1...(1 << 40), command: command)
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
            .value("output", short: "o", "path", help: "Where to write the decoded image ('-' for standard output)."),
            .flag("no-orientation", help: "Keep the stored pixel order instead of applying the EXIF orientation."),
            CommonOptions.strict,
            CommonOptions.maxPixels,
        ])

    static func run(_ arguments: ParsedArguments) throws {
        guard let output = arguments.value("output") else {
            throw UsageError("Missing expected option '-o <path>'.", command: spec)
        }
        let input = arguments.positionals[0]
        try FileIO.refuseOverwritingInputs(output: output, inputs: [input])
        let loaded = try ImageFile.load(input, maxPixels: try CommonOptions.maxPixels(arguments, command: spec),
                                        strict: arguments.flag("strict"))
        var image = loaded.image
        if !arguments.flag("no-orientation"), let jpeg = loaded.jpeg {
            image = image.applyingOrientation(jpeg.orientation)
        }
        let bytes = try ImageFile.encode(image, format: ImageFormat.forOutput(output), iccProfile: loaded.iccProfile)
        try FileIO.writeAtomically(bytes, to: output)
    }
}
