import Testing
import Linalg
@testable import unjpeg

/// The `OP:M:K:N` shapes of `bench gemm` (the syntax and default list of `sgemm_bench.py`).
@Suite struct GEMMShapeTests {
    @Test func shapeParsing() throws {
        let s = try #require(GEMMShape(parsing: "TN:1728:256:2048"))
        #expect(s == GEMMShape(.transposed, .none, m: 1728, k: 256, n: 2048))
        #expect(s.description == "TN:1728:256:2048")
        #expect(s.aDimensions == (256, 1728) && s.bDimensions == (256, 2048))
        for bad in ["TT:1:2:3", "NN:1:2", "NN::1:2:3", "NN:0:2:3", "NT:1:2:65537", "nn:1:2:3"] {
            #expect(GEMMShape(parsing: bad) == nil, "\(bad)")
        }
        #expect(GEMMShape.mlpShapes.count == 9 && GEMMShape.defaultShapes.count == 13)
        #expect(GEMMShape.mlpShapes[1].description == "NT:256:2048:1728")
        #expect(GEMMShape.mlpShapes[1].bDimensions == (1728, 2048))
    }
}
