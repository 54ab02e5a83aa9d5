/// A baseline JPEG encoder whose output is byte-identical with Pillow's
/// (libjpeg-turbo with `dct_method` islow, the default) for the same pixels and
/// options.
///
/// Pipeline (each stage bit-exact with libjpeg): RGB → YCbCr in 16-bit fixed point
/// (``EncoderColorConverter``), right/bottom edge replication, box-filter chroma
/// downsampling with alternating bias (``EncoderDownsampler``), accurate integer FDCT
/// (``EncoderForwardDCT``), rounding quantization (``EncoderQuantizer``), dummy blocks to
/// whole MCUs, Huffman coding with standard or optimal tables (``EncoderHuffmanCoder``,
/// ``EncoderOptimalHuffman``), markers as Pillow writes them (``EncoderMarkers``).
public enum JPEGEncoder {
    /// Encodes an RGB (3 channels, as YCbCr) or gray (1 channel) image.
    ///
    /// - Parameters:
    ///   - image: the pixels; a gray image is encoded as one component (Pillow mode "L").
    ///   - options: quality or tables, subsampling, Huffman optimisation, restarts, ICC.
    /// - Returns: the complete JFIF file.
    /// - Throws: ``JPEGEncodingError`` for sizes outside 1…65535, quality outside
    ///   1…100, bad tables or restart intervals.
    public static func encode(_ image: RasterImage, options: EncoderOptions = EncoderOptions()) throws -> [UInt8] {
        let frame = try EncoderFrame(width: image.width, height: image.height,
                                     componentCount: image.channels, options: options)
        if options.optimizeHuffman {
            // Two passes (statistics, then coding) need every coefficient.
            let layout = EncoderPipeline.Layout(frame: frame, mcuRows: frame.mcuRows)
            // Every stored block is written (real ones by the FDCT, dummies by the fill).
            let coefficients = [Int16](unsafeUninitializedCapacity: layout.count) { buffer, count in
                EncoderPipeline.transformImage(image, frame: frame, into: buffer.baseAddress!,
                                               layout: layout, streaming: false) { _ in }
                count = layout.count
            }
            return assembleStored(frame: frame, coefficients: coefficients, layout: layout, options: options)
        }
        // Standard tables: code each MCU row as soon as it is transformed.
        let layout = EncoderPipeline.Layout(frame: frame, mcuRows: 1)
        var coefficients = [Int16](repeating: 0, count: layout.count)
        let tables = (dc: standardDC(frame), ac: standardAC(frame))
        var writer = JPEGBitWriter(prefix: headers(frame: frame, dcTables: tables.dc, acTables: tables.ac,
                                                   options: options),
                                   capacity: 4096 + frame.width * frame.height / 3)
        var scan = EncoderScan(frame: frame, layout: layout)
        let scanTables = EncoderScanTables(dc: tables.dc, ac: tables.ac)
        coefficients.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            EncoderPipeline.transformImage(image, frame: frame, into: base, layout: layout,
                                           streaming: true) { _ in
                scan.encodeRow(base, storedRow: 0, tables: scanTables, writer: &writer)
            }
        }
        return finish(&writer)
    }

    /// Encodes component planes that are already in YCbCr (or gray) and downsampled.
    ///
    /// Each plane must be exactly the component size libjpeg derives from `width`,
    /// `height` and `options.subsampling`: luma `width × height`, chroma
    /// `⌈width / 2⌉` wide at 4:2:2 and 4:2:0 and `⌈height / 2⌉` high at 4:2:0. Planes are
    /// padded to whole blocks by replicating their last column and row. (libjpeg pads
    /// chroma from the full-resolution row instead, so for sizes that are not multiples
    /// of the MCU this path can differ from ``encode(_:options:)`` in padding samples.)
    ///
    /// - Parameters:
    ///   - planes: one (gray) or three (Y, Cb, Cr) planes.
    ///   - width: image width in pixels (the luma plane's width).
    ///   - height: image height in pixels.
    ///   - options: as for ``encode(_:options:)``.
    /// - Returns: the complete JFIF file.
    /// - Throws: ``JPEGEncodingError``, including ``JPEGEncodingError/invalidPlaneSize(index:expectedWidth:expectedHeight:)``.
    static func encode(planes: [EncoderPlane], width: Int, height: Int,
                       options: EncoderOptions = EncoderOptions()) throws -> [UInt8] {
        guard planes.count == 1 || planes.count == 3 else {
            throw JPEGEncodingError.invalidPlaneCount(planes.count)
        }
        let frame = try EncoderFrame(width: width, height: height,
                                     componentCount: planes.count, options: options)
        for (index, component) in frame.components.enumerated() {
            let plane = planes[index]
            guard plane.width == component.width, plane.height == component.height,
                  plane.samples.count == plane.width * plane.height else {
                throw JPEGEncodingError.invalidPlaneSize(index: index, expectedWidth: component.width,
                                                         expectedHeight: component.height)
            }
        }
        let layout = EncoderPipeline.Layout(frame: frame, mcuRows: frame.mcuRows)
        let coefficients = [Int16](unsafeUninitializedCapacity: layout.count) { buffer, count in
            EncoderPipeline.transformPlanes(planes, frame: frame, into: buffer.baseAddress!, layout: layout)
            count = layout.count
        }
        return assembleStored(frame: frame, coefficients: coefficients, layout: layout, options: options)
    }

    static func standardDC(_ frame: EncoderFrame) -> [EncoderHuffmanTable] {
        Array([EncoderHuffmanTable.standardLuminanceDC, .standardChrominanceDC].prefix(frame.huffmanSlotCount))
    }

    static func standardAC(_ frame: EncoderFrame) -> [EncoderHuffmanTable] {
        Array([EncoderHuffmanTable.standardLuminanceAC, .standardChrominanceAC].prefix(frame.huffmanSlotCount))
    }

    /// Codes fully stored coefficients: optimal tables from a statistics pass when asked.
    static func assembleStored(frame: EncoderFrame, coefficients: [Int16], layout: EncoderPipeline.Layout,
                               options: EncoderOptions) -> [UInt8] {
        var dcTables = standardDC(frame), acTables = standardAC(frame)
        let slots = frame.huffmanSlotCount
        if options.optimizeHuffman {
            var dcCounts = [Int](repeating: 0, count: 256 * slots)
            var acCounts = [Int](repeating: 0, count: 256 * slots)
            var statistics = EncoderScan(frame: frame, layout: layout)
            coefficients.withUnsafeBufferPointer { c in
            dcCounts.withUnsafeMutableBufferPointer { dc in
            acCounts.withUnsafeMutableBufferPointer { ac in
                for row in 0..<frame.mcuRows {
                    statistics.countRow(c.baseAddress!, storedRow: row,
                                        dcCounts: dc.baseAddress!, acCounts: ac.baseAddress!)
                }
            }}}
            dcTables = (0..<slots).map { s in
                let t = EncoderOptimalHuffman.table(frequencies: Array(dcCounts[256 * s..<256 * (s + 1)]))
                return EncoderHuffmanTable(bits: t.bits, values: t.values)
            }
            acTables = (0..<slots).map { s in
                let t = EncoderOptimalHuffman.table(frequencies: Array(acCounts[256 * s..<256 * (s + 1)]))
                return EncoderHuffmanTable(bits: t.bits, values: t.values)
            }
        }
        var writer = JPEGBitWriter(prefix: headers(frame: frame, dcTables: dcTables, acTables: acTables,
                                                   options: options),
                                   capacity: 4096 + frame.width * frame.height / 3)
        var scan = EncoderScan(frame: frame, layout: layout)
        let scanTables = EncoderScanTables(dc: dcTables, ac: acTables)
        coefficients.withUnsafeBufferPointer { c in
            for row in 0..<frame.mcuRows {
                scan.encodeRow(c.baseAddress!, storedRow: row, tables: scanTables, writer: &writer)
            }
        }
        return finish(&writer)
    }

    /// Pads the last byte, appends EOI and returns the file.
    static func finish(_ writer: inout JPEGBitWriter) -> [UInt8] {
        writer.flush()
        writer.appendRaw([0xFF, EncoderMarkers.eoi])
        return writer.bytes
    }

    /// Everything before the entropy-coded data: SOI, APP0, APP2, DQT, SOF, DHT, DRI, SOS.
    static func headers(frame: EncoderFrame, dcTables: [EncoderHuffmanTable],
                        acTables: [EncoderHuffmanTable], options: EncoderOptions) -> [UInt8] {
        var bytes: [UInt8] = []
        EncoderMarkers.appendFileHeader(to: &bytes)
        if let profile = options.iccProfile, !profile.isEmpty {
            EncoderMarkers.appendICCProfile(profile, to: &bytes)
        }
        for (slot, table) in frame.quantizationTables.enumerated() {
            EncoderMarkers.appendQuantizationTable(table, slot: slot, to: &bytes)
        }
        let extended = frame.quantizationTables.contains { $0.contains { $0 > 255 } }
        EncoderMarkers.appendFrameHeader(width: frame.width, height: frame.height,
                                         components: frame.components, extended: extended, to: &bytes)
        for slot in 0..<frame.huffmanSlotCount {
            EncoderMarkers.appendHuffmanTable(dcTables[slot], isAC: false, slot: slot, to: &bytes)
            EncoderMarkers.appendHuffmanTable(acTables[slot], isAC: true, slot: slot, to: &bytes)
        }
        if frame.restartInterval > 0 {
            EncoderMarkers.appendRestartInterval(frame.restartInterval, to: &bytes)
        }
        EncoderMarkers.appendScanHeader(components: frame.components, to: &bytes)
        return bytes
    }
}
