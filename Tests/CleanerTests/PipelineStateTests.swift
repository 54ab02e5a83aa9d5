import Testing
import JPEGCodec
@testable import Cleaner

/// The estimate moved out of a ``PipelineState`` for a stage to change in place
/// (``PipelineState/takePlanes()``, ``PipelineState/takePixels()``, ``Plane/take()``): the same
/// values as the copying accessors, and the state whole again once they are handed back.
@Suite struct PipelineStateTests {
    /// A 7 × 5 RGB image whose samples are all different (so a conversion that mixed up pixels
    /// or channels would show).
    static func image() -> RasterImage {
        var pixels = [UInt8]()
        for i in 0..<(7 * 5 * 3) { pixels.append(UInt8((i * 37 + 11) % 256)) }
        return RasterImage(width: 7, height: 5, channels: 3, pixels: pixels)
    }

    @Test func takenPlanesAreTheConvertedPixels() {
        var state = PipelineState(CleanerInput(image: Self.image()))
        let pixels = FloatImage(width: 7, height: 5, channels: 3,
                                samples: (0..<(7 * 5 * 3)).map { Float($0 % 251) + 0.25 })
        state.setPixels(pixels)
        let expected = state.planes()
        let taken = state.takePlanes()
        #expect(taken == expected)
        #expect(taken.count == 3 && taken[0].width == 7 && taken[0].height == 5)
        state.setPlanes(taken)
        #expect(state.planes() == expected)
    }

    @Test func takenPixelsAreTheConvertedPlanesAndRoundTheSame() {
        var state = PipelineState(CleanerInput(image: Self.image()))
        let planes = ColourConversion.ycbcrPlanes(of: Self.image())
        state.setPlanes(planes)
        let expected = state.pixels(), rounded = state.rasterImage()
        let taken = state.takePixels()
        #expect(taken.samples == expected.samples)
        state.setPixels(taken)
        #expect(state.rasterImage() == rounded)
    }

    @Test func theDecodeIsTakenAsItsPlanesAndPixels() {
        let image = Self.image()
        var state = PipelineState(CleanerInput(image: image))
        #expect(state.takePlanes() == ColourConversion.ycbcrPlanes(of: image))
        var other = PipelineState(CleanerInput(image: image))
        #expect(other.takePixels().samples == image.pixels.map { Float($0) })
    }

    @Test func aTakenPlaneLeavesAnEmptyOne() {
        var plane = Plane(width: 3, height: 2, samples: [1, 2, 3, 4, 5, 6])
        let taken = plane.take()
        #expect(taken == Plane(width: 3, height: 2, samples: [1, 2, 3, 4, 5, 6]))
        #expect(plane.width == 0 && plane.height == 0 && plane.samples.isEmpty)
    }
}
