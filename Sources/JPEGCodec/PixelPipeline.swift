/// The spatial half of decoding: inverse DCT of every component plane, then upsampling and
/// colour conversion row by row into a ``RasterImage``.
enum PixelPipeline {
    /// Renders the decoded coefficients of `components` as pixels.
    ///
    /// Works one MCU row (band) at a time so the sample planes stay small and in cache:
    /// band k + 1 is inverse-transformed into each component's three-band ring before the
    /// output rows of band k are upsampled and colour-converted.
    static func render(frame: FrameHeader, components: [DecodedComponent], colorSpace: JPEGColorSpace) -> RasterImage {
        let width = frame.width, height = frame.height
        let n = components.count
        let vmax = frame.maxVerticalSampling
        let bands = frame.mcuRows
        var planes: [ComponentPlane] = []
        var rings: [UnsafeMutablePointer<UInt8>] = []
        defer { for p in rings { p.deallocate() } }
        var quants: [[SIMD8<Int32>]] = []
        for (i, c) in components.enumerated() {
            let stride = c.widthInBlocks * 8
            let bandRows = 8 * c.verticalSampling
            let ring = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * bandRows * stride)
            rings.append(ring)
            planes.append(ComponentPlane(samples: ring, stride: stride, bandRows: bandRows,
                                         width: c.sampleWidth, height: c.sampleHeight,
                                         method: n == 1 ? .fullSize : (UpsamplingMethod.choose(frame: frame, component: i) ?? .fullSize)))
            quants.append(InverseDCT.quantRows(c.quantizationTable))
        }
        /// Inverse DCT of band `k` of every component into its ring.
        func transformBand(_ k: Int) {
            for (i, c) in components.enumerated() {
                let v = c.verticalSampling
                let slot = rings[i] + (k % 3) * planes[i].bandRows * planes[i].stride
                c.coefficients.withUnsafeBufferPointer { coef in
                    quants[i].withUnsafeBufferPointer { q in
                        for r in 0..<v {
                            let blockRow = k * v + r
                            guard blockRow < c.heightInBlocks else { break }
                            InverseDCT.transformBlockRow(coef.baseAddress! + blockRow * c.widthInBlocks * 64,
                                                         quant: q.baseAddress!, blocksWide: c.widthInBlocks,
                                                         output: slot + r * 8 * planes[i].stride, stride: planes[i].stride)
                        }
                    }
                }
            }
        }
        let channels = n == 1 ? 1 : 3
        let rowCapacity = width + 8 * frame.maxHorizontalSampling
        let rowBuffers = UnsafeMutablePointer<UInt8>.allocate(capacity: rowCapacity * max(n, 1))
        let colsum = UnsafeMutablePointer<Int32>.allocate(capacity: rowCapacity)
        defer { rowBuffers.deallocate(); colsum.deallocate() }
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            let out = buffer.baseAddress!
            transformBand(0)
            for k in 0..<bands {
                if k + 1 < bands { transformBand(k + 1) }
                let first = k * 8 * vmax, last = min(first + 8 * vmax, height)
                guard first < last else { continue }
                for y in first..<last {
                    if n == 1 {
                        (out + y * width).update(from: planes[0].sampleRow(y), count: width)
                        continue
                    }
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
            }
            count = width * height * channels
        }
        return RasterImage(width: width, height: height, channels: channels, pixels: pixels)
    }
}
