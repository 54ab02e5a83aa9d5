import Testing
import JPEGCodec

@Suite struct OrientationTests {
    // The stored image (3 wide, 2 high), gray samples named by position:
    //   1 2 3
    //   4 5 6
    let stored = RasterImage(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])

    @Test(arguments: [
        (1, 3, [1, 2, 3, 4, 5, 6] as [UInt8]),
        (2, 3, [3, 2, 1, 6, 5, 4]),
        (3, 3, [6, 5, 4, 3, 2, 1]),
        (4, 3, [4, 5, 6, 1, 2, 3]),
        (5, 2, [1, 4, 2, 5, 3, 6]),   // transpose
        (6, 2, [4, 1, 5, 2, 6, 3]),   // 90° clockwise
        (7, 2, [6, 3, 5, 2, 4, 1]),   // transverse
        (8, 2, [3, 6, 2, 5, 1, 4]),   // 90° counter-clockwise
    ])
    func orientationMatchesExifTranspose(orientation: Int, width: Int, expected: [UInt8]) {
        let shown = stored.applyingOrientation(orientation)
        #expect(shown.width == width)
        #expect(shown.height == 6 / width)
        #expect(shown.pixels == expected)
    }

    @Test func rgbSamplesMoveTogether() {
        let image = RasterImage(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.applyingOrientation(6).pixels == [1, 2, 3, 4, 5, 6])
        #expect(image.applyingOrientation(6).width == 1)
        #expect(image.applyingOrientation(2).pixels == [4, 5, 6, 1, 2, 3])
    }
}
