import Foundation
import Testing
import PNGReader

/// The fixtures written by `Fixtures/make_png_fixtures.py` (every colour type, bit depth
/// and interlace mode, plus tRNS and Pillow-written files) with their expected samples.
let generatedFixtures: [String] = {
    let dir = fixtureDirectory.appendingPathComponent("generated")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".png") }.map { String($0.dropLast(4)) }.sorted()
}()

@Suite struct GeneratedFixtureTests {
    @Test func allFormatsArePresent() {
        // 5 + 2 + 4 + 2 + 2 colour-type/depth pairs, each plain and Adam7, + 3 tRNS + 4 Pillow.
        #expect(generatedFixtures.count == 15 * 2 + 3 + 4)
    }

    @Test(arguments: generatedFixtures)
    func samplesMatch(_ name: String) throws {
        let image = try PNGDecoder().decode(try fixtureBytes("generated/\(name).png"))
        let expected = try fixtureBytes("generated/\(name).samples")
        switch image.samples {
        case .uint8(let s):
            #expect(image.bitDepth <= 8)
            #expect(s == expected)
        case .uint16(let s):
            #expect(image.bitDepth == 16)
            #expect(s.count * 2 == expected.count)
            let be = (0..<(expected.count / 2)).map { UInt16(expected[2 * $0]) << 8 | UInt16(expected[2 * $0 + 1]) }
            #expect(s == be)
        }
        if name.hasPrefix("ct") {
            // ct<type>_d<depth>_<plain|adam7>
            let parts = name.split(separator: "_")
            #expect(image.colorType.rawValue == UInt8(parts[0].dropFirst(2))!)
            #expect(image.bitDepth == Int(parts[1].dropFirst(1))!)
            #expect(image.interlaced == (parts[2] == "adam7"))
            #expect(image.gamma == 45455)
            #expect(image.width == 13 && image.height == 11)
        }
        if name.hasPrefix("trns") {
            #expect(image.rgba8() == (try fixtureBytes("generated/\(name).rgba")))
        }
    }
}
