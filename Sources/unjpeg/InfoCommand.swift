import Cleaner
import JPEGCodec

/// `unjpeg info`: what a JPEG file holds, without decoding its pixels.
enum InfoCommand: Command {
    static let spec = CommandSpec(
        path: "info",
        abstract: "Describe JPEG files: size, sampling, coding, tables and the quality they were saved at.",
        positionals: [PositionalSpec(name: "inputs", help: "JPEG files ('-' for standard input).", variadic: true, optional: false)],
        options: [.flag("json", help: "Print one JSON object per file."), CommonOptions.maxPixels])

    static func run(_ arguments: ParsedArguments) throws {
        let maxPixels = try CommonOptions.maxPixels(arguments, command: spec)
        var failed = 0
        for path in arguments.positionals {
            let name = ImageFile.displayName(path)
            do {
                let bytes = try FileIO.read(path)
                let info: JPEGInfo
                do { info = try JPEGDecoder.inspect(bytes, options: JPEGDecodingOptions(maxPixels: maxPixels)) }
                catch { throw RuntimeError("\(name): \(error)") }
                let sampling = info.components.map { "\($0.horizontalSampling)x\($0.verticalSampling)" }.joined(separator: ",")
                let quality = info.pillowQuality
                if arguments.flag("json") {
                    let row = BenchRow(fields: [
                        ("file", name), ("width", info.width), ("height", info.height),
                        ("components", info.components.count), ("sampling", sampling),
                        ("color_space", info.colorSpace.rawValue), ("progressive", info.isProgressive),
                        ("restart_interval", info.restartInterval), ("orientation", info.orientation),
                        ("icc_profile_bytes", info.iccProfile?.count ?? 0),
                        ("pillow_quality", quality.map { $0 as Any } ?? JSONNull()),
                    ])
                    Terminal.print(row.json())
                    continue
                }
                var text = "\(name): \(info.width)×\(info.height), \(info.precision)-bit, \(info.colorSpace.rawValue), \(info.components.count) component\(info.components.count == 1 ? "" : "s") sampled \(sampling)\n"
                text += "  coding: \(info.process), restart interval: \(info.restartInterval == 0 ? "none" : "\(info.restartInterval) MCUs")\n"
                text += "  EXIF orientation: \(info.orientation); ICC profile: \(info.iccProfile.map { "\($0.count) bytes" } ?? "none")\n"
                text += "  saved at Pillow/libjpeg quality: \(quality.map(String.init) ?? "unknown (not scaled standard tables\(nearestQuality(info).map { "; nearest: \($0)" } ?? ""))")\n"
                for (index, table) in info.quantizationTables.enumerated() {
                    guard let table else { continue }
                    text += "  quantization table \(index) (natural order):\n"
                    for row in 0..<8 {
                        text += "    " + (0..<8).map { col in
                            let s = String(table[row * 8 + col])
                            return String(repeating: " ", count: max(0, 3 - s.count)) + s
                        }.joined(separator: " ") + "\n"
                    }
                }
                Terminal.print(text, terminator: "")
            } catch {
                Terminal.writeError("Error: \(error)\n")
                failed += 1
            }
        }
        if failed > 0 { throw ExitQuietly(status: 1) }
    }

    /// The libjpeg quality whose tables are nearest to the file's (``TableQuality``), for
    /// custom tables; nil without a luma table.
    static func nearestQuality(_ info: JPEGInfo) -> Int? {
        func table(_ k: Int) -> [UInt16]? {
            guard k < info.components.count else { return nil }
            let index = info.components[k].quantizationTableIndex
            return index < info.quantizationTables.count ? info.quantizationTables[index] : nil
        }
        guard let luma = table(0), luma.count == 64 else { return nil }
        let chroma = table(1).flatMap { $0.count == 64 ? $0 : nil }
        return TableQuality(luma: luma, chroma: chroma, chromaFactors: (1, 1)).quality
    }
}
