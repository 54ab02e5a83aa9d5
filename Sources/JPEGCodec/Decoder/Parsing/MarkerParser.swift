/// Walks the marker segments of a file (T.81 B.2), keeping the tables and the frame, and
/// (in decode mode) decoding each scan as it comes.
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

    /// Counts the blocks `scan` will decode into the file's work and refuses the scan when
    /// the total would exceed ``JPEGDecodingOptions/maxScanPasses`` passes over the image
    /// (or ``JPEGDecodingOptions/minimumScanWork``, when that is more).
    mutating func chargeWork(of scan: ScanHeader, frame: FrameHeader) throws(JPEGError) {
        var imageBlocks = 0
        for c in frame.components.indices { imageBlocks += frame.blocksWide(of: c) * frame.blocksHigh(of: c) }
        let passes = max(options.maxScanPasses, 0)
        let (product, overflow) = passes.multipliedReportingOverflow(by: imageBlocks)
        let limit = max(overflow ? Int.max : product, JPEGDecodingOptions.minimumScanWork)
        let total = blocksDecoded + MarkerParser.blocks(of: scan, frame: frame)
        guard total <= limit else {
            throw .tooMuchScanWork(scan: scans + 1, offset: scan.offset, blocks: total, limit: limit)
        }
        blocksDecoded = total
    }

    /// The blocks one scan decodes: its MCUs × the blocks of each MCU (T.81 A.2).
    static func blocks(of scan: ScanHeader, frame: FrameHeader) -> Int {
        if scan.components.count == 1 {
            let c = scan.components[0].frameIndex
            return ((frame.sampleWidth(of: c) + 7) / 8) * ((frame.sampleHeight(of: c) + 7) / 8)
        }
        var blocks = 0
        for sc in scan.components {
            let fc = frame.components[sc.frameIndex]
            blocks += frame.mcuColumns * frame.mcuRows * fc.horizontalSampling * fc.verticalSampling
        }
        return blocks
    }

    /// Refuses the image when its image-sized buffers (see ``JPEGMemoryEstimate``), plus one
    /// copy of scan data as large as the file, exceed ``JPEGDecodingOptions/maxMemory``.
    /// Called before the first of those buffers is allocated.
    func checkMemory(frame: FrameHeader, wholePlanes: Bool, fileSize: Int) throws(JPEGError) {
        let needed = JPEGMemoryEstimate(frame: frame, wholePlanes: wholePlanes).total + fileSize
        guard needed <= options.maxMemory else {
            throw .tooMuchMemory(width: frame.width, height: frame.height, needed: needed, limit: options.maxMemory)
        }
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

    /// Decodes one scan whose entropy-coded data starts at `dataStart`; returns the offset after it.
    mutating func decodeScan(_ scan: ScanHeader, frame: FrameHeader, file: UnsafeBufferPointer<UInt8>,
                             dataStart: Int) throws(JPEGError) -> Int {
        for sc in scan.components where latchedQuant[sc.frameIndex] == nil {
            let tq = frame.components[sc.frameIndex].quantizationTableIndex
            guard let table = quantTables[tq] else { throw .missingQuantizationTable(index: tq, offset: scan.offset) }
            latchedQuant[sc.frameIndex] = table
        }
        let decoder = ScanDecoder()
        defer { decoder.deallocate() }
        if frame.process == .progressive {
            return try decodeProgressiveScan(scan, frame: frame, decoder: decoder, file: file, dataStart: dataStart)
        }
        for sc in scan.components {
            guard sc.dcTable < 4, sc.acTable < 4 else {
                throw .invalidScan(offset: scan.offset, reason: "Huffman table selectors \(sc.dcTable)/\(sc.acTable) (0…3 allowed)")
            }
            // Motion-JPEG frames leave out DHT: slots 0 and 1 default to the Annex K tables.
            guard let dc = dcSpecs[sc.dcTable] ?? MarkerParser.standardSpec(dc: true, index: sc.dcTable) else {
                throw .missingHuffmanTable(isDC: true, index: sc.dcTable, offset: scan.offset)
            }
            guard let ac = acSpecs[sc.acTable] ?? MarkerParser.standardSpec(dc: false, index: sc.acTable) else {
                throw .missingHuffmanTable(isDC: false, index: sc.acTable, offset: scan.offset)
            }
            decoder.install(try HuffmanDecoder(dc, isDC: true, offset: scan.offset), slot: sc.dcTable)
            decoder.install(try HuffmanDecoder(ac, isDC: false, offset: scan.offset), slot: 4 + sc.acTable)
        }
        let segment = EntropySegment(file: file, start: dataStart, resynchronizing: restartInterval > 0)
        // Every block takes at least two bits (a DC code and an AC code), so a segment that
        // is too short for the scan fails here, before any plane is allocated.
        let blocks = MarkerParser.blocks(of: scan, frame: frame)
        if segment.count * 8 < blocks * 2 {
            // libjpeg decodes such a scan anyway (gray where the data is missing); in strict
            // mode it fails here, before any plane is allocated.
            if options.strict { throw .truncated(offset: segment.fileEnd) }
        }
        let n = frame.components.count
        let onePass = scan.components.count == n
            && (n > 1 || (frame.components[0].horizontalSampling == 1 && frame.components[0].verticalSampling == 1))
        if !options.keepCoefficients && scans == 0 && planes.isEmpty && onePass {
            try checkMemory(frame: frame, wholePlanes: false, fileSize: file.count)
            let damage = try streamScan(scan, frame: frame, decoder: decoder, segment: segment, file: file)
            try report(damage, segment: segment, file: file)
            for sc in scan.components { scanned[sc.frameIndex] = true }
            return segment.fileEnd
        }
        var clear = scan.components.contains { scanned[$0.frameIndex] }
        if planes.isEmpty {
            try checkMemory(frame: frame, wholePlanes: true, fileSize: file.count)
            // An interleaved first scan of every component writes every block of every plane
            // (MCU padding included), so the planes need no zero fill up front: each block is
            // cleared just before it is decoded. Otherwise, zero everything first.
            let coversAll = scan.components.count == frame.components.count && scan.components.count > 1
            planes = (0..<frame.components.count).map { c in
                let count = frame.blocksWide(of: c) * frame.blocksHigh(of: c) * 64
                if !coversAll { return [Int16](repeating: 0, count: count) }
                return [Int16](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
            }
            if coversAll { clear = true }
        }
        var taken = planes
        planes = []
        defer { planes = taken }
        var damage = ScanDamage()
        try MarkerParser.withPlanePointers(&taken) { (pointers) throws(JPEGError) in
            damage = try decoder.decode(scan: scan, frame: frame, segment: segment, file: file, planes: pointers,
                                        restartInterval: restartInterval, clearBlocks: clear)
        }
        try report(damage, segment: segment, file: file)
        for sc in scan.components { scanned[sc.frameIndex] = true }
        return segment.fileEnd
    }

    /// Decodes a scan that holds every component MCU row by MCU row into one-row coefficient
    /// buffers, inverse-transforming and rendering each band as soon as its context is there.
    mutating func streamScan(_ scan: ScanHeader, frame: FrameHeader, decoder: ScanDecoder,
                             segment: EntropySegment, file: UnsafeBufferPointer<UInt8>) throws(JPEGError) -> ScanDamage {
        let n = frame.components.count
        let channels = n == 1 ? 1 : 3
        let total = frame.width * frame.height * channels
        let tables = (0..<n).map { latchedQuant[$0] ?? [UInt16](repeating: 0, count: 64) }
        var bandPlanes = (0..<n).map { c in
            let count = frame.blocksWide(of: c) * frame.components[c].verticalSampling * 64
            return [Int16](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        let space = colorSpace(frame)
        let interval = restartInterval
        var failure: JPEGError?
        var damage = ScanDamage()
        let pixels = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            let renderer = BandRenderer(frame: frame, quantizationTables: tables, colorSpace: space,
                                        output: buffer.baseAddress!)
            defer { renderer.deallocate() }
            do throws(JPEGError) {
                try MarkerParser.withPlanePointers(&bandPlanes) { (pointers) throws(JPEGError) in
                    damage = try decoder.decode(scan: scan, frame: frame, segment: segment, file: file, planes: pointers,
                                                restartInterval: interval, clearBlocks: true, bandBuffers: true) { row in
                        for i in 0..<n {
                            let v = frame.components[i].verticalSampling
                            renderer.transformBand(row, component: i, coefficients: pointers[i],
                                                   blockRows: min(v, frame.blocksHigh(of: i) - row * v),
                                                   blocksWide: frame.blocksWide(of: i))
                        }
                        if row > 0 { renderer.emitBand(row - 1) }
                    }
                }
                renderer.emitBand(renderer.bands - 1)
                count = total
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        streamedImage = RasterImage(width: frame.width, height: frame.height, channels: channels, pixels: pixels)
        streamedColorSpace = space
        return damage
    }

    /// Turns a scan's damage into warnings (errors in strict mode).
    mutating func report(_ damage: ScanDamage, segment: EntropySegment,
                         file: UnsafeBufferPointer<UInt8>) throws(JPEGError) {
        if let bad = damage.firstBadCode {
            let offset = segment.fileOffset(of: bad, in: file)
            if options.strict { throw .badHuffmanCode(offset: offset) }
            record(.badHuffmanCode(offset: offset))
        }
        // In file order; data that ran out comes before the restart marker missing after it.
        var found: [(warning: JPEGWarning, error: JPEGError)] = []
        if let end = damage.firstRanOut {
            let offset = segment.fileOffset(of: end, in: file)
            found.append((.prematureEndOfScan(offset: offset), .truncated(offset: offset)))
        }
        if let resync = damage.firstResync {
            let offset = segment.fileOffset(of: resync.position, in: file)
            let item: (warning: JPEGWarning, error: JPEGError) = (.badRestartMarker(expected: resync.expected, offset: offset),
                                                                   .badRestartMarker(expected: resync.expected, offset: offset))
            if let end = damage.firstRanOut, end <= resync.position { found.append(item) } else { found.insert(item, at: 0) }
        }
        for item in found {
            if options.strict { throw item.error }
            record(item.warning)
        }
    }

    /// Calls `body` with stable pointers to the storage of each plane (1 or 3 of them).
    static func withPlanePointers(_ planes: inout [[Int16]],
                                  _ body: ([UnsafeMutablePointer<Int16>]) throws(JPEGError) -> Void) throws(JPEGError) {
        var failure: JPEGError?
        func nest(_ index: Int, _ acc: [UnsafeMutablePointer<Int16>]) {
            if index == planes.count {
                do throws(JPEGError) { try body(acc) } catch { failure = error }
                return
            }
            var plane = planes[index]
            planes[index] = []
            plane.withUnsafeMutableBufferPointer { buffer in
                nest(index + 1, acc + [buffer.baseAddress!])
            }
            planes[index] = plane
        }
        nest(0, [])
        if let failure { throw failure }
    }

    /// The Annex K table libjpeg installs in an empty slot 0 or 1.
    static func standardSpec(dc: Bool, index: Int) -> HuffmanSpec? {
        switch (dc, index) {
        case (true, 0): return HuffmanSpec(counts: StandardTables.luminanceDCBits, symbols: StandardTables.luminanceDCValues)
        case (true, 1): return HuffmanSpec(counts: StandardTables.chrominanceDCBits, symbols: StandardTables.chrominanceDCValues)
        case (false, 0): return HuffmanSpec(counts: StandardTables.luminanceACBits, symbols: StandardTables.luminanceACValues)
        case (false, 1): return HuffmanSpec(counts: StandardTables.chrominanceACBits, symbols: StandardTables.chrominanceACValues)
        default: return nil
        }
    }

    /// After all scans: inverse DCT, upsampling and colour conversion.
    func finish() throws(JPEGError) -> DecodedJPEG {
        guard let frame else { throw .missingSOF(offset: endOffset) }
        guard scans > 0 else { throw .missingSOS(offset: endOffset) }
        let n = frame.components.count
        let space = colorSpace(frame)
        if let streamedImage {
            let components = (0..<n).map { c in
                let fc = frame.components[c]
                return DecodedComponent(
                    id: fc.id, horizontalSampling: fc.horizontalSampling, verticalSampling: fc.verticalSampling,
                    quantizationTable: latchedQuant[c] ?? [UInt16](repeating: 0, count: 64),
                    widthInBlocks: frame.blocksWide(of: c), heightInBlocks: frame.blocksHigh(of: c), coefficients: [],
                    sampleWidth: frame.sampleWidth(of: c), sampleHeight: frame.sampleHeight(of: c))
            }
            return DecodedJPEG(image: streamedImage, orientation: orientation ?? 1, iccProfile: icc.profile,
                               metadata: metadata.metadata, colorSpace: streamedColorSpace ?? space, components: components,
                               restartInterval: restartInterval, warnings: listedWarnings,
                               coefficientsComplete: coefficientsComplete, blocksDecoded: blocksDecoded)
        }
        var components: [DecodedComponent] = []
        for c in 0..<n {
            let fc = frame.components[c]
            let quant = latchedQuant[c] ?? quantTables[fc.quantizationTableIndex] ?? [UInt16](repeating: 0, count: 64)
            components.append(DecodedComponent(
                id: fc.id, horizontalSampling: fc.horizontalSampling, verticalSampling: fc.verticalSampling,
                quantizationTable: quant, widthInBlocks: frame.blocksWide(of: c),
                heightInBlocks: frame.blocksHigh(of: c), coefficients: planes[c],
                sampleWidth: frame.sampleWidth(of: c), sampleHeight: frame.sampleHeight(of: c)))
        }
        let image = PixelPipeline.render(frame: frame, components: smoothedForRendering(components, frame: frame),
                                         colorSpace: space)
        if !options.keepCoefficients {
            for i in components.indices { components[i].coefficients = [] }
        }
        return DecodedJPEG(image: image, orientation: orientation ?? 1, iccProfile: icc.profile,
                           metadata: metadata.metadata, colorSpace: space, components: components, restartInterval: restartInterval,
                           warnings: listedWarnings, coefficientsComplete: coefficientsComplete,
                           blocksDecoded: blocksDecoded)
    }
}
