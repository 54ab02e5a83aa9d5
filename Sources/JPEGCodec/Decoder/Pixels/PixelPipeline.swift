/// Rendering from complete coefficient planes.
enum PixelPipeline {
    /// Renders the decoded coefficients of `components` as pixels.
    static func render(frame: FrameHeader, components: [DecodedComponent], colorSpace: JPEGColorSpace) -> RasterImage {
        let channels = components.count == 1 ? 1 : 3
        let total = frame.width * frame.height * channels
        let pixels = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            let renderer = BandRenderer(frame: frame, quantizationTables: components.map(\.quantizationTable),
                                        colorSpace: colorSpace, output: buffer.baseAddress!)
            defer { renderer.deallocate() }
            func transform(_ k: Int) {
                for (i, c) in components.enumerated() {
                    let v = c.verticalSampling
                    let rows = min(v, c.heightInBlocks - k * v)
                    guard rows > 0 else { continue }
                    c.coefficients.withUnsafeBufferPointer { coef in
                        renderer.transformBand(k, component: i, coefficients: coef.baseAddress! + k * v * c.widthInBlocks * 64,
                                               blockRows: rows, blocksWide: c.widthInBlocks)
                    }
                }
            }
            transform(0)
            for k in 0..<renderer.bands {
                if k + 1 < renderer.bands { transform(k + 1) }
                renderer.emitBand(k)
            }
            count = total
        }
        return RasterImage(width: frame.width, height: frame.height, channels: channels, pixels: pixels)
    }
}
