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
        let coefficients = EncoderPipeline.coefficients(of: image, frame: frame)
        return assemble(frame: frame, coefficients: coefficients, options: options)
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
    public static func encode(planes: [EncoderPlane], width: Int, height: Int,
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
        let coefficients = EncoderPipeline.coefficients(of: planes, frame: frame)
        return assemble(frame: frame, coefficients: coefficients, options: options)
    }

    /// Chooses the Huffman tables, writes the headers and the scan.
    static func assemble(frame: EncoderFrame, coefficients: EncoderPipeline.Coefficients,
                         options: EncoderOptions) -> [UInt8] {
        let slots = frame.components.count == 1 ? 1 : 2
        var dcTables: [EncoderHuffmanTable]
        var acTables: [EncoderHuffmanTable]
        if options.optimizeHuffman {
            let statistics = EncoderScan.gatherStatistics(frame: frame, coefficients: coefficients)
            dcTables = statistics.dc.map {
                let t = EncoderOptimalHuffman.table(frequencies: $0)
                return EncoderHuffmanTable(bits: t.bits, values: t.values)
            }
            acTables = statistics.ac.map {
                let t = EncoderOptimalHuffman.table(frequencies: $0)
                return EncoderHuffmanTable(bits: t.bits, values: t.values)
            }
        } else {
            dcTables = [.standardLuminanceDC, .standardChrominanceDC]
            acTables = [.standardLuminanceAC, .standardChrominanceAC]
        }
        dcTables = Array(dcTables.prefix(slots))
        acTables = Array(acTables.prefix(slots))

        var bytes: [UInt8] = []
        let pixelCount = frame.width * frame.height
        bytes.reserveCapacity(1024 + pixelCount / 2 + (options.iccProfile?.count ?? 0))
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
        for slot in 0..<slots {
            EncoderMarkers.appendHuffmanTable(dcTables[slot], isAC: false, slot: slot, to: &bytes)
            EncoderMarkers.appendHuffmanTable(acTables[slot], isAC: true, slot: slot, to: &bytes)
        }
        if frame.restartInterval > 0 {
            EncoderMarkers.appendRestartInterval(frame.restartInterval, to: &bytes)
        }
        EncoderMarkers.appendScanHeader(components: frame.components, to: &bytes)
        var writer = JPEGBitWriter(appendingTo: bytes)
        bytes = []
        EncoderScan.encode(frame: frame, coefficients: coefficients,
                           dcTables: dcTables, acTables: acTables, writer: &writer)
        var output = writer.bytes
        output.append(0xFF)
        output.append(EncoderMarkers.eoi)
        return output
    }
}
