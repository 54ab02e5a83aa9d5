import Testing
import Foundation
import TestSupport

/// The import rules of DESIGN.md, checked on the sources: libraries import only the standard
/// library (Linalg also Dispatch/Synchronization) and the libraries below them (LZ77, the
/// shared deflate/inflate and checksums, at the bottom), and the tool itself is Foundation-free, so
/// that `-static-executable` gives a small, fully static binary (issue 14, item 19).
@Suite struct ModuleImportTests {
    static let sources = TestPaths.sources

    /// (file, imported module) for every `import` line under `Sources/<module>`.
    static func imports(of module: String) throws -> [(String, String)] {
        let folder = sources.appendingPathComponent(module)
        var found: [(String, String)] = []
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if let index = words.firstIndex(of: "import"), index + 1 < words.count,
                   words[..<index].allSatisfy({ $0.hasPrefix("@") || $0 == "public" || $0 == "internal" }) {
                    found.append((file, String(words[index + 1])))
                }
            }
        }
        return found
    }

    @Test func theToolIsFoundationFree() throws {
        let imports = try Self.imports(of: "unjpeg")
        #expect(!imports.isEmpty)
        let allowed: Set<String> = ["Glibc", "Musl", "Synchronization", "Dispatch", "JPEGCodec", "PNGWriter", "PNGReader",
                                    "Linalg", "Net", "Cleaner"]
        for (file, module) in imports {
            #expect(allowed.contains(module), "Sources/unjpeg/\(file) imports \(module)")
        }
    }

    @Test(arguments: ["LZ77", "JPEGCodec", "PNGWriter", "PNGReader", "Linalg", "Net", "Cleaner"])
    func librariesImportOnlyWhatTheDesignAllows(_ module: String) throws {
        let allowed: [String: Set<String>] = [
            "LZ77": [], "JPEGCodec": [], "PNGWriter": ["LZ77"], "PNGReader": ["LZ77"],
            "Linalg": ["Dispatch", "Synchronization"],
            "Net": ["Linalg", "LZ77"], "Cleaner": ["JPEGCodec", "Net", "Linalg"],
        ]
        for (file, imported) in try Self.imports(of: module) {
            #expect(allowed[module]!.contains(imported), "Sources/\(module)/\(file) imports \(imported)")
        }
    }
}
