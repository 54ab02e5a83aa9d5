/// The scan-driving half of the marker parser: charging each scan to the work and memory
/// budgets, decoding sequential scans (streamed band by band, or into whole coefficient
/// planes), turning scan damage into warnings, and rendering the result after the last
/// scan. Progressive scans are in `MarkerParser+Progressive.swift`; the marker walk and
/// the table and frame segments in `MarkerParser.swift`.
extension MarkerParser {
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
