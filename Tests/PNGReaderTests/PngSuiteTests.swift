import Foundation
import Testing
import PNGReader
import TestSupport

/// `Tests/PNGReaderTests/Fixtures`.
let fixtureDirectory = TestPaths.fixtures("PNGReaderTests")

func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
    try TestPaths.bytes(fixtureDirectory.appendingPathComponent(relativePath))
}

/// Rows of PngSuite's MANIFEST.tsv: (file, expected, rgba reference).
let pngSuiteManifest: [(file: String, expected: String, rgba: String)] = {
    guard let text = try? String(contentsOf: fixtureDirectory.appendingPathComponent("pngsuite/MANIFEST.tsv"), encoding: .utf8) else {
        return []
    }
    return text.split(separator: "\n").dropFirst().map { line in
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return (f[0], f[4], f[7])
    }
}()

@Suite struct PngSuiteTests {
    @Test func manifestIsComplete() {
        #expect(pngSuiteManifest.filter { $0.expected == "ok" }.count == 161)
        #expect(pngSuiteManifest.filter { $0.expected == "error" }.count == 14)
    }

    @Test(arguments: pngSuiteManifest.filter { $0.expected == "ok" }.map { $0.file })
    func readsToReference(_ file: String) throws {
        let row = try #require(pngSuiteManifest.first { $0.file == file })
        let image = try PNGDecoder().decode(try fixtureBytes("pngsuite/" + file))
        let reference = try fixtureBytes("pngsuite/" + row.rgba)
        let rgba = image.rgba8()
        #expect(rgba.count == reference.count)
        let firstDifference = zip(rgba, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first differing byte at \(firstDifference ?? -1)")
    }

    @Test(arguments: pngSuiteManifest.filter { $0.expected == "error" }.map { $0.file })
    func corruptFileGivesTypedError(_ file: String) throws {
        let bytes = try fixtureBytes("pngsuite/" + file)
        #expect(throws: PNGError.self) { _ = try PNGDecoder().decode(bytes) }
    }
}
