import Testing
import Foundation
import JPEGCodec
import TestSupport

/// The codec subcommands against the codec fixtures: what the CLI writes must be what the
/// libraries (and Pillow) produce.
@Suite struct CodecCommandTests {
    static let fixtures = TestPaths.fixtures("JPEGCodecTests")

    @Test func compressIsByteIdenticalWithPillow() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.fixtures.appendingPathComponent("encoder/photo45x22.ppm").path
        for (args, expected) in [([] as [String], "photo45x22_q85_s2.jpg"),
                                 (["--optimize"], "photo45x22_q85_s2_opt.jpg"),
                                 (["--quality", "50", "--subsampling", "4:4:4"], "photo45x22_q50_s0.jpg")] {
            let output = folder.appendingPathComponent("out.jpg").path
            let result = try CLI.run(["compress", input, "-o", output] + args)
            #expect(result.status == 0, "\(result.stderr)")
            let ours = try Data(contentsOf: URL(fileURLWithPath: output))
            let pillow = try Data(contentsOf: Self.fixtures.appendingPathComponent("encoder/" + expected))
            #expect(ours == pillow, "compress \(args) differs from \(expected)")
        }
    }

    @Test func compressRejectsBadSettingsAsUsageErrors() throws {
        let input = Self.fixtures.appendingPathComponent("encoder/photo45x22.ppm").path
        let quality = try CLI.run(["compress", input, "-o", "/tmp/never.jpg", "--quality", "101"])
        #expect(quality.status == 64)
        #expect(quality.stderr.hasPrefix("Error: The value '101' is invalid for '--quality': expected an integer in 1…100."))
        let subsampling = try CLI.run(["compress", input, "-o", "/tmp/never.jpg", "--subsampling", "4:1:1"])
        #expect(subsampling.status == 64)
        #expect(subsampling.stderr.contains("expected 4:4:4, 4:2:2 or 4:2:0"))
        let missing = try CLI.run(["compress", input])
        #expect(missing.status == 64)
    }

    @Test func decodeWritesPillowsPixelsAsPPMAndPNG() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The decoder fixture and Pillow's decode of it.
        let jpeg = Self.fixtures.appendingPathComponent("decoder/adobe_ycc_48x40_q90.jpg").path
        let reference = try Data(contentsOf: Self.fixtures.appendingPathComponent("decoder/adobe_ycc_48x40_q90.ppm"))
        let ppm = folder.appendingPathComponent("out.ppm").path
        let result = try CLI.run(["decode", jpeg, "-o", ppm])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ppm)) == reference)
        // PNG output, read back through the tool itself (PNG → PPM).
        let png = folder.appendingPathComponent("out.png").path
        #expect(try CLI.run(["decode", jpeg, "-o", png]).status == 0)
        let again = folder.appendingPathComponent("again.ppm").path
        #expect(try CLI.run(["decode", png, "-o", again]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == reference)
    }

    @Test func decodeReportsTheFileAndOffsetOfDamage() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Data(contentsOf: Self.fixtures.appendingPathComponent("encoder/photo64x48.jpg"))
        let truncated = folder.appendingPathComponent("cut.jpg")
        try source.prefix(100).write(to: truncated)
        let result = try CLI.run(["decode", truncated.path, "-o", folder.appendingPathComponent("x.png").path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(truncated.path): "))
        #expect(result.stderr.contains("byte"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.png").path))
    }

    @Test func aTruncatedScanDecodesWithAWarningOrFailsUnderStrict() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Data(contentsOf: Self.fixtures.appendingPathComponent("encoder/photo64x48.jpg"))
        let cut = folder.appendingPathComponent("cut.jpg")
        try source.prefix(source.count * 4 / 5).write(to: cut)
        let output = folder.appendingPathComponent("out.png").path
        let lenient = try CLI.run(["decode", cut.path, "-o", output])
        #expect(lenient.status == 0)
        #expect(lenient.stderr.hasPrefix("Warning: \(cut.path): "))
        #expect(FileManager.default.fileExists(atPath: output))
        let strictOutput = folder.appendingPathComponent("strict.png").path
        let strict = try CLI.run(["decode", "--strict", cut.path, "-o", strictOutput])
        #expect(strict.status == 1)
        #expect(strict.stderr.hasPrefix("Error: \(cut.path): "))
        #expect(!FileManager.default.fileExists(atPath: strictOutput))
    }

    @Test func infoNamesTheQuality() throws {
        let jpeg = Self.fixtures.appendingPathComponent("encoder/photo45x22_q85_s2.jpg").path
        let result = try CLI.run(["info", jpeg])
        #expect(result.status == 0)
        #expect(result.stdout.contains("45×22"))
        #expect(result.stdout.contains("sampled 2x2,1x1,1x1"))
        #expect(result.stdout.contains("saved at Pillow/libjpeg quality: 85"))
        let json = try CLI.run(["info", "--json", jpeg])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["pillow_quality"] as? Int == 85)
        #expect(object?["progressive"] as? Bool == false)
        #expect(object?["width"] as? Int == 45)
    }
}

/// Issue 14 item 16: EXIF (orientation reset once applied), XMP and density reach the PNG.
@Suite struct MetadataCarryTests {
    static let fixture = CodecCommandTests.fixtures.appendingPathComponent("metadata/exif6_xmp_300dpi.jpg").path

    /// (type, data) of every chunk of a PNG.
    static func chunks(_ png: [UInt8]) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var at = 8
        while at + 12 <= png.count {
            let length = Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3])
            let type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
            out.append((type, Array(png[(at + 8)..<(at + 8 + length)])))
            at += 12 + length
        }
        return out
    }

    @Test(arguments: [true, false])
    func decodeAndCleanCarryExifXMPAndDensity(applyOrientation: Bool) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try SafetyTests.makeModel(in: folder)
        for command in [["decode"], ["clean", "--model", model.path]] {
            let result = try CLI.run(command + [Self.fixture, "-o", "-"] + (applyOrientation ? [] : ["--no-orientation"]))
            #expect(result.status == 0, "\(result.stderr)")
            let chunks = Self.chunks(result.stdoutBytes)
            let names = chunks.map(\.0)
            #expect(names.first == "IHDR" && names.last == "IEND")
            // Every metadata chunk precedes the image data.
            let idat = try #require(names.firstIndex(of: "IDAT"))
            for name in ["pHYs", "eXIf", "iTXt"] {
                let index = try #require(names.firstIndex(of: name), "\(name) missing")
                #expect(index < idat)
            }
            // 300 dpi = 11811 pixels per metre, unit 1 (metre).
            let phys = chunks.first { $0.0 == "pHYs" }!.1
            #expect(phys == [0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1])
            // The EXIF orientation (tag 0x0112, little-endian, value at byte 18) is 1 once applied, else 6.
            let exif = chunks.first { $0.0 == "eXIf" }!.1
            #expect(Array(exif.prefix(4)) == [0x49, 0x49, 0x2A, 0x00])
            #expect(exif[10] == 0x12 && exif[11] == 0x01)
            #expect(exif[18] == (applyOrientation ? 1 : 6), "\(command)")
            let itxt = String(decoding: chunks.first { $0.0 == "iTXt" }!.1, as: UTF8.self)
            #expect(itxt.hasPrefix("XML:com.adobe.xmp"))
            #expect(itxt.contains(applyOrientation ? "tiff:Orientation=\"1\"" : "tiff:Orientation=\"6\""), "\(command)")
        }
    }
}

/// `--png-level` on the commands that write PNGs: the same pixels at every level, the level
/// the zlib header of the image data declares (RFC 1950 FLEVEL), and other values refused.
@Suite struct PNGLevelTests {
    @Test func everyLevelWritesTheSamePixels() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try SafetyTests.makeModel(in: folder)
        let jpeg = CodecCommandTests.fixtures.appendingPathComponent("encoder/photo64x48.jpg").path
        for command in [["decode"], ["clean", "--model", model.path]] {
            var pixels: [String: Data] = [:]
            for (level, flags) in [("fast", 0x01), ("default", 0x9C), ("best", 0xDA)] {
                let png = folder.appendingPathComponent("\(level).png").path
                let result = try CLI.run(command + [jpeg, "-o", png, "--png-level", level])
                #expect(result.status == 0, "\(command) \(level): \(result.stderr)")
                let idat = try #require(MetadataCarryTests.chunks(Array(try Data(contentsOf: URL(fileURLWithPath: png))))
                    .first { $0.0 == "IDAT" }?.1)
                #expect(idat[0] == 0x78 && Int(idat[1]) == flags, "\(command) \(level)")
                let ppm = folder.appendingPathComponent("\(level).ppm").path
                #expect(try CLI.run(["decode", png, "-o", ppm]).status == 0)
                pixels[level] = try Data(contentsOf: URL(fileURLWithPath: ppm))
            }
            #expect(pixels["fast"] == pixels["default"] && pixels["best"] == pixels["default"], "\(command)")
            // Without the option: the default level.
            let plain = folder.appendingPathComponent("plain.png").path
            #expect(try CLI.run(command + [jpeg, "-o", plain]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: plain))
                    == Data(contentsOf: folder.appendingPathComponent("default.png")), "\(command)")
        }
    }

    @Test func otherLevelsAreUsageErrors() throws {
        let jpeg = CodecCommandTests.fixtures.appendingPathComponent("encoder/photo64x48.jpg").path
        // Before anything is read: a usage error even when the model does not exist.
        for command in [["decode"], ["clean", "--model", "/nonexistent/model.unjm"]] {
            let result = try CLI.run(command + [jpeg, "-o", "/tmp/never.png", "--png-level", "defualt"])
            #expect(result.status == 64)
            #expect(result.stderr.hasPrefix("Error: The value 'defualt' is invalid for '--png-level': expected fast, default or best. Did you mean 'default'?"), "\(result.stderr)")
            let number = try CLI.run(command + [jpeg, "-o", "/tmp/never.png", "--png-level", "9"])
            #expect(number.status == 64 && number.stderr.contains("expected fast, default or best."))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/never.png"))
        }
    }
}

/// Issue 14 item 11: an ICC profile Pillow would refuse in a PNG (over 1 MiB) is left out with
/// a warning, and the PNG is written.
@Suite struct OversizedICCTests {
    @Test func aHugeICCProfileIsDroppedWithAWarning() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var pixels = [UInt8]()
        for i in 0..<(32 * 16 * 3) { pixels.append(UInt8(i % 251)) }
        var options = EncoderOptions()
        options.iccProfile = (0..<(1_200_000)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let jpeg = try JPEGEncoder.encode(RasterImage(width: 32, height: 16, channels: 3, pixels: pixels), options: options)
        let input = folder.appendingPathComponent("icc.jpg")
        try Data(jpeg).write(to: input)
        let result = try CLI.run(["decode", input.path, "-o", folder.appendingPathComponent("out.png").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Warning: \(input.path): "))
        #expect(result.stderr.contains("1200000") && result.stderr.contains("It was left out of the PNG."), "\(result.stderr)")
        let png = [UInt8](try Data(contentsOf: folder.appendingPathComponent("out.png")))
        #expect(!MetadataCarryTests.chunks(png).contains { $0.0 == "iCCP" })
    }
}
