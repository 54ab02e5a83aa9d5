/// The spatial half of decoding: inverse DCT of every component plane, then upsampling and
/// colour conversion row by row into a ``RasterImage``.
enum PixelPipeline {
    /// Renders the decoded coefficients of `components` as pixels.
    static func render(frame: FrameHeader, components: [DecodedComponent], colorSpace: JPEGColorSpace) -> RasterImage {
        let width = frame.width, height = frame.height
        let n = components.count
        // Inverse DCT into sample planes.
        var samplePlanes: [UnsafeMutablePointer<UInt8>] = []
        defer { for p in samplePlanes { p.deallocate() } }
        for c in components {
            let stride = c.widthInBlocks * 8
            let plane = UnsafeMutablePointer<UInt8>.allocate(capacity: stride * c.heightInBlocks * 8)
            c.coefficients.withUnsafeBufferPointer { coef in
                InverseDCT.transformPlane(coef.baseAddress!, quant: c.quantizationTable,
                                          blocksWide: c.widthInBlocks, blocksHigh: c.heightInBlocks,
                                          samples: plane)
            }
            samplePlanes.append(plane)
        }
        if n == 1 {
            let stride = components[0].widthInBlocks * 8
            let pixels = [UInt8](unsafeUninitializedCapacity: width * height) { buffer, count in
                for y in 0..<height {
                    (buffer.baseAddress! + y * width).update(from: samplePlanes[0] + y * stride, count: width)
                }
                count = width * height
            }
            return RasterImage(width: width, height: height, channels: 1, pixels: pixels)
        }
        let planes = (0..<n).map { i in
            ComponentPlane(samples: samplePlanes[i], stride: components[i].widthInBlocks * 8,
                           width: components[i].sampleWidth, height: components[i].sampleHeight,
                           method: UpsamplingMethod.choose(frame: frame, component: i) ?? .fullSize)
        }
        let rowCapacity = width + 8 * frame.maxHorizontalSampling
        let rowBuffers = UnsafeMutablePointer<UInt8>.allocate(capacity: rowCapacity * n)
        let colsum = UnsafeMutablePointer<Int32>.allocate(capacity: rowCapacity)
        defer { rowBuffers.deallocate(); colsum.deallocate() }
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            let out = buffer.baseAddress!
            for y in 0..<height {
                let r0 = planes[0].row(y, outputWidth: width, into: rowBuffers, colsum: colsum)
                let r1 = planes[1].row(y, outputWidth: width, into: rowBuffers + rowCapacity, colsum: colsum)
                let r2 = planes[2].row(y, outputWidth: width, into: rowBuffers + 2 * rowCapacity, colsum: colsum)
                let o = out + y * width * 3
                if colorSpace == .rgb {
                    for x in 0..<width {
                        o[3 * x] = r0[x]; o[3 * x + 1] = r1[x]; o[3 * x + 2] = r2[x]
                    }
                } else {
                    YCbCrToRGB.convertRow(y: r0, cb: r1, cr: r2, count: width, out: o)
                }
            }
            count = width * height * 3
        }
        return RasterImage(width: width, height: height, channels: 3, pixels: pixels)
    }
}
