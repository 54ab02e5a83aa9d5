/// From samples to quantized coefficients: colour conversion, edge padding,
/// downsampling, forward DCT and quantization, as libjpeg's preprocessing and
/// coefficient controllers do it (jcprepct.c, jcsample.c, jccoefct.c).
///
/// Padding follows libjpeg exactly. Each image row is extended to the right by
/// replicating its last pixel (`expand_right_edge`) *before* downsampling, to as many
/// columns as the widest component's blocks need. At the bottom, libjpeg first repeats
/// the last image row to complete a row group (`max_v_samp_factor` rows: so with an odd
/// height the last 4:2:0 chroma row averages the last image row with itself), then
/// repeats the last *downsampled* row of every component down to a whole iMCU row. So
/// luma below the image repeats the last image row, but 4:2:0 chroma below the image
/// repeats the last chroma row (for an even height, the average of the last two image
/// rows), not a chroma row computed from repeated image rows. Blocks inside `widthInBlocks × heightInBlocks`
/// are transformed from those padded samples; the dummy blocks that complete the last
/// MCUs are filled by ``fillDummyBlocks(_:component:strip:firstStoredRow:)``.
///
/// The image is processed one iMCU row ("strip": `8 · maxVerticalFactor` image rows,
/// one MCU row) at a time, so that a caller can entropy-code each strip while it is
/// still in cache.
enum EncoderPipeline {
    /// Where blocks are stored: block (row, column) of component `c` starts at
    /// `componentOffsets[c] + (row · gridWidth + column) · 64` (in coefficients); each
    /// block is 64 coefficients in natural (row-major) order.
    struct Layout: Sendable {
        /// Start of each component's blocks.
        var componentOffsets: [Int]
        /// Block rows stored per component.
        var storedRows: [Int]
        /// Total number of coefficients.
        var count: Int

        /// Room for `mcuRows` MCU rows of every component.
        init(frame: EncoderFrame, mcuRows: Int) {
            var offset = 0
            componentOffsets = []
            storedRows = []
            for component in frame.components {
                componentOffsets.append(offset)
                let rows = mcuRows * component.verticalFactor
                storedRows.append(rows)
                offset += rows * component.gridWidth * 64
            }
            count = offset
        }
    }

    /// Transforms `blockCount` horizontally adjacent blocks whose top-left sample is at
    /// `samples` into `output` (64 coefficients per block).
    @inline(__always)
    static func transformBlocks(_ samples: UnsafePointer<UInt8>, stride: Int, blockCount: Int,
                                quantizer: UnsafePointer<UInt32>,
                                into output: UnsafeMutablePointer<Int16>) {
        var block = 0
        #if !LINALG_PORTABLE_KERNEL
        // Two blocks per step in 16-lane vectors (one AVX-512 register each).
        while block + 2 <= blockCount {
            EncoderForwardDCT.transformAndQuantizePair(samples + 8 * block, stride: stride,
                                                       quantizer: quantizer, into: output + 64 * block)
            block += 2
        }
        #endif
        while block < blockCount {
            EncoderForwardDCT.transformAndQuantize(samples + 8 * block, stride: stride,
                                                   quantizer: quantizer,
                                                   into: output + 64 * block)
            block += 1
        }
    }

    /// Fills the dummy blocks of one strip of a component, as jccoefct.c `compress_data`
    /// does: all AC coefficients 0; a block right of the real ones copies the DC of its
    /// left neighbour; a block row below the real ones copies, in each MCU, the DC of the
    /// last block of the row above within that MCU.
    static func fillDummyBlocks(_ blocks: UnsafeMutablePointer<Int16>, component: EncoderComponent,
                                strip: Int, firstStoredRow: Int) {
        let gridWidth = component.gridWidth, h = component.horizontalFactor
        for y in 0..<component.verticalFactor {
            let globalRow = strip * component.verticalFactor + y
            let row = blocks + 64 * (firstStoredRow + y) * gridWidth
            if globalRow < component.heightInBlocks {
                for column in component.widthInBlocks..<gridWidth {
                    (row + 64 * column).update(repeating: 0, count: 64)
                    row[64 * column] = row[64 * (column - 1)]
                }
            } else {
                let above = row - 64 * gridWidth
                for column in 0..<gridWidth {
                    (row + 64 * column).update(repeating: 0, count: 64)
                    row[64 * column] = above[64 * ((column / h) * h + h - 1)]
                }
            }
        }
    }

    /// Quantizer constants per table slot, in one buffer, natural order: slot `s`
    /// ``EncoderQuantizer/constants`` at `192 · s`.
    static func quantizerConstants(_ frame: EncoderFrame) -> [UInt32] {
        frame.quantizationTables.flatMap { EncoderQuantizer(table: $0).constants }
    }

    /// Converts, pads, downsamples and transforms an RGB or gray image strip by strip.
    /// Strip `s` is stored at block rows `streaming ? 0 : s · verticalFactor` of each
    /// component; `body(s)` runs after each strip.
    static func transformImage(_ image: RasterImage, frame: EncoderFrame,
                               into coefficients: UnsafeMutablePointer<Int16>, layout: Layout,
                               streaming: Bool, body: (Int) -> Void) {
        let components = frame.components
        let hMax = frame.maxHorizontalFactor, vMax = frame.maxVerticalFactor
        let width = frame.width, height = frame.height
        let channels = image.channels
        // Full-resolution strip: one iMCU row of every component, padded on the right.
        let stripWidth = components.map { $0.widthInBlocks * 8 * hMax / $0.horizontalFactor }.max()!
        let stripRows = 8 * vMax
        let stripSize = stripWidth * stripRows
        let strips = UnsafeMutablePointer<UInt8>.allocate(capacity: stripSize * components.count)
        strips.initialize(repeating: 0, count: stripSize * components.count)
        defer { strips.deallocate() }
        // Downsampled chroma rows (unused at 4:4:4).
        let chromaWidth = components.count == 3 ? components[1].widthInBlocks * 8 : 0
        let chroma = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 2 * chromaWidth * 8))
        chroma.initialize(repeating: 0, count: max(1, 2 * chromaWidth * 8))
        defer { chroma.deallocate() }
        let constants = quantizerConstants(frame)

        image.pixels.withUnsafeBufferPointer { pixelBuffer in
        constants.withUnsafeBufferPointer { constantBuffer in
            let pixels = pixelBuffer.baseAddress!
            for strip in 0..<frame.mcuRows {
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
                    let downsampled = component.horizontalFactor < hMax || component.verticalFactor < vMax
                    var plane = UnsafePointer(strips + c * stripSize)
                    var stride = stripWidth
                    if downsampled {
                        let src = strips + c * stripSize
                        let dst = chroma + (c - 1) * chromaWidth * 8
                        // Chroma rows that see image rows; the rest repeat the last of them.
                        let realChromaRows = (realRows + vMax - 1) / vMax
                        for r in 0..<8 {
                            if r >= realChromaRows {
                                (dst + r * chromaWidth).update(from: dst + (realChromaRows - 1) * chromaWidth,
                                                               count: chromaWidth)
                            } else if vMax == 2 {
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
                    let slot = component.quantizationSlot
                    let firstStoredRow = streaming ? 0 : strip * component.verticalFactor
                    let blocks = coefficients + layout.componentOffsets[c]
                    for blockRow in 0..<component.verticalFactor {
                        guard strip * component.verticalFactor + blockRow < component.heightInBlocks else { continue }
                        transformBlocks(plane + blockRow * 8 * stride, stride: stride,
                                        blockCount: component.widthInBlocks,
                                        quantizer: constantBuffer.baseAddress! + 192 * slot,
                                        into: blocks + 64 * (firstStoredRow + blockRow) * component.gridWidth)
                    }
                    fillDummyBlocks(blocks, component: component, strip: strip, firstStoredRow: firstStoredRow)
                }
                body(strip)
            }
        }}
    }

    /// Pads caller-supplied planes (replicating the last column and row) to whole blocks
    /// and transforms all of them (`layout` must hold every MCU row).
    static func transformPlanes(_ planes: [EncoderPlane], frame: EncoderFrame,
                                into coefficients: UnsafeMutablePointer<Int16>, layout: Layout) {
        let constants = quantizerConstants(frame)
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
            let blocks = coefficients + layout.componentOffsets[c]
            let slot = component.quantizationSlot
            padded.withUnsafeBufferPointer { p in
            constants.withUnsafeBufferPointer { k in
                for blockRow in 0..<component.heightInBlocks {
                    transformBlocks(p.baseAddress! + blockRow * 8 * paddedWidth, stride: paddedWidth,
                                    blockCount: component.widthInBlocks,
                                    quantizer: k.baseAddress! + 192 * slot,
                                    into: blocks + 64 * blockRow * component.gridWidth)
                }
            }}
            for strip in 0..<frame.mcuRows {
                fillDummyBlocks(blocks, component: component, strip: strip,
                                firstStoredRow: strip * component.verticalFactor)
            }
        }
    }
}
