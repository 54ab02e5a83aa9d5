import Foundation
@testable import JPEGCodec
import TestSupport

/// Locating and reading test fixtures.
enum Fixtures {
    /// `Tests/JPEGCodecTests/Fixtures`.
    static let root: URL = TestPaths.fixtures("JPEGCodecTests")

    /// The shared conformance folder (`../shared/conformance/jpeg` next to the repository,
    /// or further up for a worktree), or nil when it is not there.
    static let sharedConformance: URL? = {
        var dir = TestPaths.repository.appendingPathComponent("Tests/JPEGCodecTests")
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent("shared/conformance/jpeg")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("MANIFEST.tsv").path) {
                return candidate
            }
        }
        return nil
    }()

    static func bytes(_ url: URL) throws -> [UInt8] {
        try TestPaths.bytes(url)
    }

    /// Rows of a tab-separated file with a header line, as dictionaries.
    static func tsv(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (i, h) in header.enumerated() { row[h] = i < cells.count ? cells[i] : "" }
            return row
        }
    }
}

/// The pixels a reference file holds: a binary PGM/PPM, or only a hash (`.fnv`).
enum Reference {
    case pixels(RasterImage)
    case hash(width: Int, height: Int, channels: Int, fnv: UInt64)

    /// Loads `base.pgm`, `base.ppm` or `base.fnv`, whichever exists.
    static func load(base: URL) throws -> Reference? {
        for ext in ["pgm", "ppm"] {
            let url = base.appendingPathExtension(ext)
            if FileManager.default.fileExists(atPath: url.path) {
                return .pixels(try parsePNM(try Fixtures.bytes(url)))
            }
        }
        let url = base.appendingPathExtension("fnv")
        if FileManager.default.fileExists(atPath: url.path) {
            let parts = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" })
            return .hash(width: Int(parts[0])!, height: Int(parts[1])!, channels: Int(parts[2])!,
                         fnv: UInt64(parts[3], radix: 16)!)
        }
        return nil
    }

    /// Parses a binary PGM (P5) or PPM (P6) with maxval 255.
    static func parsePNM(_ b: [UInt8]) throws -> RasterImage {
        var i = 0
        func token() -> String {
            while i < b.count {
                if b[i] == UInt8(ascii: "#") { while i < b.count && b[i] != 10 { i += 1 } }
                else if b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
                else { break }
            }
            var s = ""
            while i < b.count && !(b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9) {
                s.append(Character(UnicodeScalar(b[i]))); i += 1
            }
            return s
        }
        let magic = token()
        let w = Int(token())!, h = Int(token())!, _ = token()
        i += 1
        let channels = magic == "P5" ? 1 : 3
        return RasterImage(width: w, height: h, channels: channels, pixels: Array(b[i..<(i + w * h * channels)]))
    }

    /// nil when `image` matches; otherwise a description of the difference.
    func mismatch(_ image: RasterImage) -> String? {
        switch self {
        case .pixels(let ref):
            guard ref.width == image.width, ref.height == image.height, ref.channels == image.channels else {
                return "size \(image.width)x\(image.height)x\(image.channels), expected \(ref.width)x\(ref.height)x\(ref.channels)"
            }
            var maxDiff = 0, count = 0, first = -1
            for i in 0..<ref.pixels.count {
                let d = abs(Int(ref.pixels[i]) - Int(image.pixels[i]))
                if d > 0 { count += 1; if first < 0 { first = i } }
                maxDiff = max(maxDiff, d)
            }
            if maxDiff == 0 { return nil }
            let px = first / ref.channels
            return "max abs difference \(maxDiff) in \(count) samples; first at x=\(px % ref.width) y=\(px / ref.width) channel \(first % ref.channels)"
        case .hash(let w, let h, let c, let fnv):
            guard w == image.width, h == image.height, c == image.channels else {
                return "size \(image.width)x\(image.height)x\(image.channels), expected \(w)x\(h)x\(c)"
            }
            let got = fnv1a64(image.pixels)
            return got == fnv ? nil : "pixel hash differs (reference stores only the FNV-1a hash)"
        }
    }
}

/// FNV-1a 64-bit over bytes (the same function the fixture script uses).
func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xCBF29CE484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001B3 }
    return h
}
