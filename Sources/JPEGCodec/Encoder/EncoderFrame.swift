/// The geometry and tables of one frame: components, MCU layout, quantization tables,
/// restart interval, as libjpeg's `jinit_compress_master`/`per_scan_setup` derive them.
struct EncoderFrame: Sendable {
    var width: Int
    var height: Int
    var components: [EncoderComponent]
    var maxHorizontalFactor: Int
    var maxVerticalFactor: Int
    /// MCUs per row and MCU rows of the single scan. With one component the scan is
    /// non-interleaved and an MCU is one block.
    var mcusPerRow: Int
    var mcuRows: Int
    /// Quantization tables by slot, natural order.
    var quantizationTables: [[UInt16]]
    /// MCUs between restart markers; 0 for none.
    var restartInterval: Int

    /// Number of Huffman table slots: 1 for gray, 2 (luma, chroma) for colour.
    var huffmanSlotCount: Int { components.count == 1 ? 1 : 2 }

    /// Validates the options and lays out the frame.
    init(width: Int, height: Int, componentCount: Int, options: EncoderOptions) throws {
        guard (1...65535).contains(width), (1...65535).contains(height) else {
            throw JPEGEncodingError.invalidDimensions(width: width, height: height)
        }
        guard componentCount == 1 || componentCount == 3 else {
            throw JPEGEncodingError.unsupportedChannelCount(componentCount)
        }
        guard (1...100).contains(options.quality) else {
            throw JPEGEncodingError.invalidQuality(options.quality)
        }
        self.width = width
        self.height = height

        // Quantization tables.
        if let explicit = options.quantizationTables {
            guard explicit.count == 1 || explicit.count == 2 else {
                throw JPEGEncodingError.invalidQuantizationTable(index: explicit.count)
            }
            for (index, table) in explicit.enumerated()
            where table.count != 64 || table.contains(where: { $0 == 0 || $0 > 32767 }) {
                throw JPEGEncodingError.invalidQuantizationTable(index: index)
            }
            quantizationTables = componentCount == 1 ? [explicit[0]] : explicit
        } else {
            let luma = StandardTables.scaledQuantization(StandardTables.luminanceQuantization,
                                                         quality: options.quality)
            let chroma = StandardTables.scaledQuantization(StandardTables.chrominanceQuantization,
                                                           quality: options.quality)
            quantizationTables = componentCount == 1 ? [luma] : [luma, chroma]
        }
        let chromaSlot = quantizationTables.count > 1 ? 1 : 0

        // Sampling factors.
        let luma = componentCount == 1 ? (horizontal: 1, vertical: 1) : options.subsampling.lumaFactors
        maxHorizontalFactor = luma.horizontal
        maxVerticalFactor = luma.vertical
        var factors = [(id: 1, h: luma.horizontal, v: luma.vertical, q: 0, huffman: 0)]
        if componentCount == 3 {
            factors.append((2, 1, 1, chromaSlot, 1))
            factors.append((3, 1, 1, chromaSlot, 1))
        }
        let hMax = maxHorizontalFactor, vMax = maxVerticalFactor
        if componentCount == 1 {
            mcusPerRow = (width + 7) / 8
            mcuRows = (height + 7) / 8
        } else {
            mcusPerRow = (width + 8 * hMax - 1) / (8 * hMax)
            mcuRows = (height + 8 * vMax - 1) / (8 * vMax)
        }
        let mcusPerRow = self.mcusPerRow, mcuRows = self.mcuRows
        components = factors.map { f in
            let w = (width * f.h + hMax - 1) / hMax
            let h = (height * f.v + vMax - 1) / vMax
            let wib = (w + 7) / 8, hib = (h + 7) / 8
            return EncoderComponent(
                id: f.id, horizontalFactor: f.h, verticalFactor: f.v,
                quantizationSlot: f.q, huffmanSlot: f.huffman,
                width: w, height: h, widthInBlocks: wib, heightInBlocks: hib,
                gridWidth: componentCount == 1 ? wib : mcusPerRow * f.h,
                gridHeight: componentCount == 1 ? hib : mcuRows * f.v)
        }

        // Restart interval.
        guard options.restartInterval >= 0, options.restartInterval <= 65535 else {
            throw JPEGEncodingError.invalidRestartInterval(options.restartInterval)
        }
        guard options.restartRows >= 0, options.restartRows <= 65535 else {
            throw JPEGEncodingError.invalidRestartInterval(options.restartRows)
        }
        if options.restartRows > 0 {
            restartInterval = min(options.restartRows * mcusPerRow, 65535)
        } else {
            restartInterval = options.restartInterval
        }
    }
}
