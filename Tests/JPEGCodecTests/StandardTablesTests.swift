import Testing
@testable import JPEGCodec

@Suite struct StandardTablesTests {
    @Test func zigzagIsAPermutation() {
        #expect(Set(StandardTables.zigzag) == Set(0..<64))
        // T.81 figure A.6: the first diagonals.
        #expect(Array(StandardTables.zigzag.prefix(6)) == [0, 1, 8, 16, 9, 2])
        #expect(StandardTables.zigzag[63] == 63)
    }

    @Test func qualityScalingMatchesLibjpeg() {
        // Hand-computed from jpeg_quality_scaling: q85 → 30 %, q10 → 500 %, q100 → 0 %.
        #expect(StandardTables.qualityScale(85) == 30)
        #expect(StandardTables.qualityScale(10) == 500)
        #expect(StandardTables.qualityScale(100) == 0)
        let q85 = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85)
        // (16·30 + 50)/100 = 5, (11·30 + 50)/100 = 3, (99·30+50)/100 = 30.
        #expect(q85[0] == 5 && q85[1] == 3 && q85[63] == 30)
        let q100 = StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 100)
        #expect(q100.allSatisfy { $0 == 1 })
        let q1 = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 1)
        #expect(q1.allSatisfy { $0 <= 255 } && q1[0] == 255)
    }

    @Test func huffmanTablesHaveTheirCounts() {
        #expect(StandardTables.luminanceDCBits.map(Int.init).reduce(0, +) == StandardTables.luminanceDCValues.count)
        #expect(StandardTables.luminanceACValues.count == 162)
        #expect(StandardTables.chrominanceACValues.count == 162)
    }
}
