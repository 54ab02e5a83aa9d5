/// From samples to quantized coefficients: colour conversion, edge padding,
/// downsampling, forward DCT and quantization, as libjpeg's preprocessing and
/// coefficient controllers do it (jcprepct.c, jcsample.c, jccoefct.c).
///
/// Padding follows libjpeg exactly. Each image row is extended to the right by
/// replicating its last pixel (`expand_right_edge`) to as many columns as the widest
/// component's blocks need; rows below the image repeat the last image row (the
/// colour buffer is filled to a whole row group, then the downsampled output to a
/// whole iMCU row: both reduce to repeating converted rows, because the downsampling
/// bias depends only on the column). Blocks inside `widthInBlocks × heightInBlocks`
/// are transformed from those padded samples; the dummy blocks that complete the last
/// MCUs are filled by ``fillDummyBlocks(_:component:)``.
enum EncoderPipeline {
    /// Per component, `gridWidth · gridHeight` blocks of 64 zigzag-ordered coefficients.
    typealias Coefficients = [[Int16]]

    /// Transforms `blockCount` horizontally adjacent blocks whose top-left sample is at
    /// `samples` into `output` (64 coefficients per block).
    @inline(__always)
    static func transformBlocks(_ samples: UnsafePointer<UInt8>, stride: Int, blockCount: Int,
                                quantizer: EncoderQuantizer,
                                workspace: UnsafeMutablePointer<Int32>,
                                zigzag: UnsafePointer<Int>,
                                into output: UnsafeMutablePointer<Int16>) {
        quantizer.multipliers.withUnsafeBufferPointer { multipliers in
            quantizer.halves.withUnsafeBufferPointer { halves in
                for block in 0..<blockCount {
                    EncoderForwardDCT.transform(samples + 8 * block, stride: stride, into: workspace)
                    EncoderQuantizer.quantizeBlock(workspace, multipliers: multipliers.baseAddress!,
                                                   halves: halves.baseAddress!,
                                                   into: output + 64 * block, zigzag: zigzag)
                }
            }
        }
    }

    /// Fills the dummy blocks of a component, as jccoefct.c `compress_data` does: all AC
    /// coefficients 0; a block right of the real ones copies the DC of its left
    /// neighbour; a block row below the real ones copies, in each MCU, the DC of the
    /// last block of the row above within that MCU.
    static func fillDummyBlocks(_ blocks: inout [Int16], component: EncoderComponent) {
        let gridWidth = component.gridWidth, h = component.horizontalFactor
        for row in 0..<component.gridHeight {
            let rowBase = row * gridWidth
            if row < component.heightInBlocks {
                for column in component.widthInBlocks..<gridWidth {
                    blocks[64 * (rowBase + column)] = blocks[64 * (rowBase + column - 1)]
                }
            } else {
                for column in 0..<gridWidth {
                    let source = (row - 1) * gridWidth + (column / h) * h + h - 1
                    blocks[64 * (rowBase + column)] = blocks[64 * source]
                }
            }
        }
    }

    /// Converts, pads, downsamples and transforms an RGB or gray image.
    static func coefficients(of image: RasterImage, frame: EncoderFrame) -> Coefficients {
        let components = frame.components
        let quantizers = frame.quantizationTables.map { EncoderQuantizer(table: $0) }
        var output = components.map { [Int16](repeating: 0, count: $0.gridWidth * $0.gridHeight * 64) }
        let hMax = frame.maxHorizontalFactor, vMax = frame.maxVerticalFactor
        let width = frame.width, height = frame.height
        let channels = image.channels
        // Full-resolution strip: one iMCU row of every component, padded on the right.
        let stripWidth = components.map { $0.widthInBlocks * 8 * hMax / $0.horizontalFactor }.max()!
        let stripRows = 8 * vMax
        let stripCount = components.count == 1 ? components[0].heightInBlocks : frame.mcuRows
        let stripSize = stripWidth * stripRows
        let strips = UnsafeMutablePointer<UInt8>.allocate(capacity: stripSize * components.count)
        strips.initialize(repeating: 0, count: stripSize * components.count)
        defer { strips.deallocate() }
        // Downsampled chroma rows (unused at 4:4:4).
        let chromaWidth = components.count == 3 ? components[1].widthInBlocks * 8 : 0
        let chroma = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 2 * chromaWidth * 8))
        chroma.initialize(repeating: 0, count: max(1, 2 * chromaWidth * 8))
        defer { chroma.deallocate() }
        let work = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
        work.initialize(repeating: 0, count: 64)
        defer { work.deallocate() }
        let zigzag = StandardTables.zigzag

        image.pixels.withUnsafeBufferPointer { pixelBuffer in
        zigzag.withUnsafeBufferPointer { zigzagBuffer in
            let pixels = pixelBuffer.baseAddress!
            let zz = zigzagBuffer.baseAddress!
            for strip in 0..<stripCount {
                let firstRow = strip * stripRows
                let realRows = min(stripRows, height - firstRow)
                // 1. Colour conversion (or copy) and right-edge replication; rows below
                //    the image repeat the last one.
                for r in 0..<stripRows {
                    if r >= realRows {
                        for c in 0..<components.count {
                            let base = strips + c * stripSize
                            (base + r * stripWidth).update(from: base + (realRows - 1) * stripWidth,
                                                           count: stripWidth)
                        }
                        continue
                    }
                    let rowPixels = pixels + (firstRow + r) * width * channels
                    let pad = stripWidth - width
                    if channels == 1 {
                        let row = strips + r * stripWidth
                        row.update(from: rowPixels, count: width)
                        (row + width).update(repeating: rowPixels[width - 1], count: pad)
                    } else {
                        let y = strips + r * stripWidth
                        let cb = y + stripSize
                        let cr = cb + stripSize
                        EncoderColorConverter.convertRow(rowPixels, count: width, y: y, cb: cb, cr: cr)
                        (y + width).update(repeating: y[width - 1], count: pad)
                        (cb + width).update(repeating: cb[width - 1], count: pad)
                        (cr + width).update(repeating: cr[width - 1], count: pad)
                    }
                }
                // 2. Downsampling and 3. FDCT + quantization, per component.
                for c in 0..<components.count {
                    let component = components[c]
                    let quantizer = quantizers[component.quantizationSlot]
                    let downsampled = component.horizontalFactor < hMax || component.verticalFactor < vMax
                    var plane = UnsafePointer(strips + c * stripSize)
                    var stride = stripWidth
                    if downsampled {
                        let src = strips + c * stripSize
                        let dst = chroma + (c - 1) * chromaWidth * 8
                        for r in 0..<8 {
                            if vMax == 2 {
                                EncoderDownsampler.h2v2(src + 2 * r * stripWidth,
                                                        src + (2 * r + 1) * stripWidth,
                                                        outputCount: chromaWidth,
                                                        into: dst + r * chromaWidth)
                            } else {
                                EncoderDownsampler.h2v1(src + r * stripWidth, outputCount: chromaWidth,
                                                        into: dst + r * chromaWidth)
                            }
                        }
                        plane = UnsafePointer(dst)
                        stride = chromaWidth
                    }
                    output[c].withUnsafeMutableBufferPointer { o in
                        for blockRow in 0..<component.verticalFactor {
                            let gridRow = strip * component.verticalFactor + blockRow
                            guard gridRow < component.heightInBlocks else { continue }
                            transformBlocks(plane + blockRow * 8 * stride, stride: stride,
                                            blockCount: component.widthInBlocks, quantizer: quantizer,
                                            workspace: work, zigzag: zz,
                                            into: o.baseAddress! + 64 * gridRow * component.gridWidth)
                        }
                    }
                }
            }
        }}
        for c in 0..<components.count {
            fillDummyBlocks(&output[c], component: components[c])
        }
        return output
    }

    /// Pads caller-supplied planes (replicating the last column and row) to whole blocks
    /// and transforms them.
    static func coefficients(of planes: [EncoderPlane], frame: EncoderFrame) -> Coefficients {
        let zigzag = StandardTables.zigzag
        var workspace = [Int32](repeating: 0, count: 64)
        var output: Coefficients = []
        for (c, component) in frame.components.enumerated() {
            let plane = planes[c]
            let paddedWidth = component.widthInBlocks * 8
            let paddedHeight = component.heightInBlocks * 8
            var padded = [UInt8](repeating: 0, count: paddedWidth * paddedHeight)
            for row in 0..<paddedHeight {
                let source = min(row, plane.height - 1) * plane.width
                for column in 0..<paddedWidth {
                    padded[row * paddedWidth + column] = plane.samples[source + min(column, plane.width - 1)]
                }
            }
            var blocks = [Int16](repeating: 0, count: component.gridWidth * component.gridHeight * 64)
            let quantizer = EncoderQuantizer(table: frame.quantizationTables[component.quantizationSlot])
            padded.withUnsafeBufferPointer { p in
            blocks.withUnsafeMutableBufferPointer { o in
            workspace.withUnsafeMutableBufferPointer { w in
            zigzag.withUnsafeBufferPointer { zz in
                for blockRow in 0..<component.heightInBlocks {
                    transformBlocks(p.baseAddress! + blockRow * 8 * paddedWidth, stride: paddedWidth,
                                    blockCount: component.widthInBlocks, quantizer: quantizer,
                                    workspace: w.baseAddress!, zigzag: zz.baseAddress!,
                                    into: o.baseAddress! + 64 * blockRow * component.gridWidth)
                }
            }}}}
            fillDummyBlocks(&blocks, component: component)
            output.append(blocks)
        }
        return output
    }
}
