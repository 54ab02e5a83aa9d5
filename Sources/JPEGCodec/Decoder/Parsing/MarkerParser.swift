/// Walks the marker segments of a file (T.81 B.2), keeping the tables and the frame, and
/// (in decode mode) decoding each scan as it comes.
///
/// This file holds the parser's state, the marker walk and the table, frame and APPn
/// segments; the scans are driven from `MarkerParser+Scans.swift` (sequential scans, budgets,
/// damage reports, the final render) and `MarkerParser+Progressive.swift`.
struct MarkerParser {
    enum Mode { case decode, inspect }
    let mode: Mode
    let options: JPEGDecodingOptions

    var frame: FrameHeader?
    var quantTables: [[UInt16]?] = [nil, nil, nil, nil]
    var dcSpecs: [HuffmanSpec?] = [nil, nil, nil, nil]
    var acSpecs: [HuffmanSpec?] = [nil, nil, nil, nil]
    var restartInterval = 0
    var sawJFIF = false
    var adobeTransform: Int?
    var orientation: Int?
    var icc = ICCProfileAssembler()
    /// EXIF block, XMP and density, from the segments before the first scan.
    var metadata = MetadataCollector()

    // Scan state, kept up to date by `MarkerParser+Scans.swift` and `+Progressive.swift`.

    /// Per frame component: quantization table latched at its first scan, coefficients, scanned flag.
    var latchedQuant: [[UInt16]?] = []
    var planes: [[Int16]] = []
    var scanned: [Bool] = []
    var scans = 0
    var endOffset = 0
    /// The image, when the first scan was decoded and rendered in one pass (coefficients not kept).
    var streamedImage: RasterImage?
    /// The colour interpretation the streamed image was rendered with.
    var streamedColorSpace: JPEGColorSpace?
    /// Set when another scan follows a streamed one; the caller decodes again keeping coefficients.
    var needsCoefficientRerun = false
    /// Damage recovered from so far: the first ``JPEGDecodingOptions/maxWarnings`` warnings.
    var warnings: [JPEGWarning] = []
    /// Warnings met beyond ``JPEGDecodingOptions/maxWarnings``: how many, and the offset of the first.
    var suppressedWarnings = 0
    var firstSuppressedOffset = 0
    /// Set by any warning that means coefficients are missing or wrong (listed or not).
    var dataDamaged = false
    /// Blocks decoded by all scans so far (the work ``JPEGDecodingOptions/maxScanPasses`` bounds).
    var blocksDecoded = 0
    /// Progressive files: per frame component, the successive-approximation bit position
    /// reached by each of the 64 coefficients (−1: not sent yet), libjpeg's `coef_bits`.
    var coefficientBits: [[Int]] = []
    /// Progressive files: per component, `coefficientBits` before the last scan that touched
    /// each coefficient (libjpeg's second `coef_bits` half; 0 after the first scan).
    var previousCoefficientBits: [[Int]] = []
    /// Progressive files: the last MCU row decoded with data left, in the last scan.
    var lastGoodRow = 0

    /// Whether every coefficient was coded to full precision (see
    /// ``DecodedJPEG/coefficientsComplete``).
    var coefficientsComplete: Bool {
        if scanned.contains(false) || dataDamaged { return false }
        return coefficientBits.allSatisfy { bits in bits.allSatisfy { $0 == 0 } }
    }

    /// The file ended inside a marker segment: with image data decoded (and not strict),
    /// a missing-EOI warning and the end of the markers; otherwise a truncation error.
    mutating func endEarly(_ file: UnsafeBufferPointer<UInt8>) throws(JPEGError) {
        guard scans > 0, mode == .decode, !options.strict else { throw .truncated(offset: file.count) }
        endOffset = file.count
        record(.missingEOI(offset: file.count))
    }

    /// Records `warning`, or throws it under ``JPEGDecodingOptions/strict``.
    mutating func warn(_ warning: JPEGWarning) throws(JPEGError) {
        if options.strict { throw .damaged(warning) }
        record(warning)
    }

    /// Lists `warning` while fewer than ``JPEGDecodingOptions/maxWarnings`` are listed,
    /// otherwise counts it for the closing ``JPEGWarning/moreWarnings(count:firstOffset:)``.
    mutating func record(_ warning: JPEGWarning) {
        if warning.damagesCoefficients { dataDamaged = true }
        if warnings.count < options.maxWarnings {
            warnings.append(warning)
            return
        }
        if suppressedWarnings == 0 { firstSuppressedOffset = warning.offset }
        suppressedWarnings += 1
    }

    /// The warnings for ``DecodedJPEG/warnings``: those listed, then the count of the rest.
    var listedWarnings: [JPEGWarning] {
        guard suppressedWarnings > 0 else { return warnings }
        return warnings + [.moreWarnings(count: suppressedWarnings, firstOffset: firstSuppressedOffset)]
    }

    init(mode: Mode, options: JPEGDecodingOptions) {
        self.mode = mode
        self.options = options
    }

    func colorSpace(_ frame: FrameHeader) -> JPEGColorSpace {
        switch frame.components.count {
        case 1: return .grayscale
        case 3:
            if sawJFIF { return .yCbCr }
            if let t = adobeTransform { return t == 0 ? .rgb : .yCbCr }
            let ids = frame.components.map(\.id)
            if ids == [1, 2, 3] { return .yCbCr }
            if ids == [82, 71, 66] { return .rgb }
            return .yCbCr
        case 4:
            // libjpeg: without an Adobe marker CMYK; transform 0 CMYK; any other YCCK.
            guard let t = adobeTransform else { return .cmyk }
            return t == 0 ? .cmyk : .ycck
        default: return .unknown
        }
    }

    /// Reads markers from the SOI to the EOI (or the end of the data).
    mutating func run(_ file: UnsafeBufferPointer<UInt8>) throws(JPEGError) {
        guard file.count >= 2, file[0] == 0xFF, file[1] == 0xD8 else { throw .notAJPEG }
        var pos = 2
        var discarded = 0
        while true {
            // Find the next marker: skip stray bytes, then fill bytes 0xFF (libjpeg's next_marker).
            let strayStart = pos
            while pos < file.count && file[pos] != 0xFF { pos += 1 }
            discarded += pos - strayStart
            while pos + 1 < file.count && file[pos + 1] == 0xFF { pos += 1 }
            if pos + 1 >= file.count {
                if scans > 0 {  // missing EOI: keep what we have
                    endOffset = file.count
                    if mode == .decode { try warn(.missingEOI(offset: file.count)) }
                    return
                }
                throw .truncated(offset: file.count)  // the data ends before the image does
            }
            let markerOffset = pos
            let marker = file[pos + 1]
            pos += 2
            if marker == 0x00 {
                discarded += 2
                continue  // FF 00 outside a scan: stray data
            }
            if discarded > 0 {
                if mode == .decode {
                    try warn(.extraneousBytes(count: discarded, marker: marker, offset: markerOffset))
                }
                discarded = 0
            }
            switch marker {
            case 0x00:
                continue
            case 0xD9:
                endOffset = markerOffset
                if frame == nil { throw .missingSOF(offset: markerOffset) }
                if scans == 0 && mode == .decode { throw .missingSOS(offset: markerOffset) }
                return
            case 0xD0...0xD7, 0x01:
                continue  // parameterless markers, ignored as libjpeg does
            case 0xD8:
                throw .invalidMarker(marker: marker, offset: markerOffset)
            default:
                break
            }
            // Every other marker carries a length.
            // A marker segment cut off by the end of the file after image data: libjpeg
            // warns ("Premature end of JPEG file") and ends the image there.
            guard pos + 2 <= file.count else { try endEarly(file); return }
            let length = Int(file[pos]) << 8 | Int(file[pos + 1])
            guard length >= 2 else {
                throw .invalidSegmentLength(marker: marker, length: length, offset: markerOffset)
            }
            guard pos + length <= file.count else { try endEarly(file); return }
            let body = UnsafeBufferPointer(rebasing: file[(pos + 2)..<(pos + length)])
            let bodyArray = Array(body)[...]
            pos += length
            switch marker {
            case 0xC4:
                try parseDHT(bodyArray, offset: markerOffset)
            case 0xDB:
                try parseDQT(bodyArray, offset: markerOffset)
            case 0xDD:
                guard length == 4 else {
                    throw .invalidSegmentLength(marker: marker, length: length, offset: markerOffset)
                }
                restartInterval = Int(bodyArray[bodyArray.startIndex]) << 8 | Int(bodyArray[bodyArray.startIndex + 1])
            case 0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
                try parseSOF(marker: marker, body: bodyArray, offset: markerOffset)
            case 0xDA:
                guard let frame else { throw .missingSOF(offset: markerOffset) }
                let scan = try ScanHeader.parse(body: bodyArray, frame: frame, offset: markerOffset)
                if mode == .inspect { return }
                if streamedImage != nil { needsCoefficientRerun = true; return }
                try chargeWork(of: scan, frame: frame)
                pos = try decodeScan(scan, frame: frame, file: file, dataStart: pos)
                scans += 1
            case 0xE0:
                let b = Array(bodyArray)
                if b.count >= 14 && b[0] == 0x4A && b[1] == 0x46 && b[2] == 0x49 && b[3] == 0x46 && b[4] == 0 {
                    sawJFIF = true
                }
                if scans == 0 { metadata.addAPP0(bodyArray) }
            case 0xE1:
                if orientation == nil, let o = ExifOrientation.parse(bodyArray) { orientation = o }
                if scans == 0 { metadata.addAPP1(bodyArray, offset: markerOffset) }
            case 0xE2:
                icc.add(bodyArray)
            case 0xEE:
                let b = Array(bodyArray)
                if b.count >= 12 && b[0] == 0x41 && b[1] == 0x64 && b[2] == 0x6F && b[3] == 0x62 && b[4] == 0x65 {
                    adobeTransform = Int(b[11])
                }
            case 0xE3...0xED, 0xEF, 0xFE, 0xCC, 0xDC:
                break  // other APPn, COM, DAC (arithmetic files are refused at their SOF), DNL
            case 0xDE, 0xDF:
                throw .unsupported(feature: "hierarchical JPEG (DHP/EXP markers)", offset: markerOffset)
            default:
                throw .invalidMarker(marker: marker, offset: markerOffset)
            }
        }
    }

    mutating func parseDQT(_ body: ArraySlice<UInt8>, offset: Int) throws(JPEGError) {
        let b = Array(body)
        var i = 0
        while i < b.count {
            let pq = Int(b[i] >> 4), tq = Int(b[i] & 15)
            guard pq <= 1 else { throw .badQuantizationTable(offset: offset, reason: "precision code \(pq) (0 or 1 allowed)") }
            guard tq < 4 else { throw .badQuantizationTable(offset: offset, reason: "table index \(tq) (0…3 allowed)") }
            let size = pq == 0 ? 64 : 128
            guard i + 1 + size <= b.count else {
                throw .invalidSegmentLength(marker: 0xDB, length: b.count + 2, offset: offset)
            }
            var table = [UInt16](repeating: 0, count: 64)
            for k in 0..<64 {
                let v = pq == 0 ? UInt16(b[i + 1 + k]) : UInt16(b[i + 1 + 2 * k]) << 8 | UInt16(b[i + 2 + 2 * k])
                table[StandardTables.zigzag[k]] = v
            }
            quantTables[tq] = table
            i += 1 + size
        }
    }

    mutating func parseDHT(_ body: ArraySlice<UInt8>, offset: Int) throws(JPEGError) {
        let b = Array(body)
        var i = 0
        while i < b.count {
            guard i + 17 <= b.count else {
                throw .badHuffmanTable(offset: offset, reason: "the segment ends inside a table")
            }
            let tc = Int(b[i] >> 4), th = Int(b[i] & 15)
            let counts = Array(b[(i + 1)..<(i + 17)])
            let total = counts.reduce(0) { $0 + Int($1) }
            guard total <= 256, i + 17 + total <= b.count else {
                throw .badHuffmanTable(offset: offset, reason: "it declares \(total) codes but the segment is too short")
            }
            guard tc <= 1, th < 4 else {
                throw .badHuffmanTable(offset: offset, reason: "class \(tc) / index \(th) (class 0…1, index 0…3 allowed)")
            }
            let spec = HuffmanSpec(counts: counts, symbols: Array(b[(i + 17)..<(i + 17 + total)]))
            if tc == 0 { dcSpecs[th] = spec } else { acSpecs[th] = spec }
            i += 17 + total
        }
    }

    mutating func parseSOF(marker: UInt8, body: ArraySlice<UInt8>, offset: Int) throws(JPEGError) {
        if frame != nil { throw .duplicateFrame(offset: offset) }
        if mode == .decode {
            switch CodingProcess(marker: marker) {
            case .lossless: throw .unsupported(feature: "lossless JPEG (SOF3)", offset: offset)
            case .hierarchical: throw .unsupported(feature: "hierarchical JPEG (SOF\(marker - 0xC0))", offset: offset)
            case .arithmetic: throw .unsupported(feature: "arithmetic coding (SOF\(marker - 0xC0))", offset: offset)
            default: break
            }
        }
        let f = try FrameHeader.parse(marker: marker, body: body, offset: offset)
        if mode == .inspect { frame = f; return }
        if f.precision != 8 {
            if f.precision == 12 && f.process != .baseline {
                throw .unsupported(feature: "12-bit samples", offset: offset)
            }
            throw .invalidFrame(offset: offset, reason: "sample precision \(f.precision) bits (8 expected)")
        }
        try f.validate(maxPixels: options.maxPixels)
        switch f.components.count {
        case 1, 3, 4: break
        default: throw .unsupported(feature: "images with \(f.components.count) components", offset: offset)
        }
        for c in 0..<f.components.count where UpsamplingMethod.choose(frame: f, component: c) == nil {
            throw .unsupported(feature: "sampling factors with a non-integer ratio", offset: offset)
        }
        frame = f
        latchedQuant = Array(repeating: nil, count: f.components.count)
        scanned = Array(repeating: false, count: f.components.count)
        if f.process == .progressive {
            coefficientBits = Array(repeating: Array(repeating: -1, count: 64), count: f.components.count)
            previousCoefficientBits = coefficientBits
        }
    }
}
