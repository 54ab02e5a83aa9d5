extension MarkerParser {
    /// Decodes one scan of a progressive frame into the whole-image coefficient planes;
    /// returns the offset after its entropy-coded data.
    ///
    /// The scan parameters are checked as libjpeg's `start_pass_phuff_decoder` checks them:
    /// an impossible band or approximation is an error, a refinement out of order (including
    /// AC before DC) only a warning.
    mutating func decodeProgressiveScan(_ scan: ScanHeader, frame: FrameHeader, decoder: ScanDecoder,
                                        file: UnsafeBufferPointer<UInt8>, dataStart: Int) throws(JPEGError) -> Int {
        let isDC = scan.ss == 0
        var bad = false
        if isDC {
            if scan.se != 0 { bad = true }
        } else if scan.ss > scan.se || scan.se > 63 || scan.components.count != 1 {
            bad = true
        }
        if scan.ah != 0 && scan.al != scan.ah - 1 { bad = true }
        if scan.al > 13 { bad = true }
        if bad {
            throw .invalidScan(offset: scan.offset, reason: "bad progression parameters Ss=\(scan.ss) Se=\(scan.se) Ah=\(scan.ah) Al=\(scan.al)")
        }
        for sc in scan.components {
            let c = sc.frameIndex
            if !isDC && coefficientBits[c][0] < 0 {
                try warn(.inconsistentProgression(component: c, coefficient: 0, offset: scan.offset))
            }
            for k in min(scan.ss, 1)...max(scan.se, 9) {
                previousCoefficientBits[c][k] = scans > 0 ? coefficientBits[c][k] : 0
            }
            for k in scan.ss...scan.se {
                let expected = max(coefficientBits[c][k], 0)
                if scan.ah != expected {
                    try warn(.inconsistentProgression(component: c, coefficient: k, offset: scan.offset))
                }
                coefficientBits[c][k] = scan.al
            }
        }
        // Only the tables the scan uses: DC first needs DC tables, AC scans AC tables,
        // DC refinement none.
        for sc in scan.components {
            if isDC && scan.ah == 0 {
                guard sc.dcTable < 4 else {
                    throw .invalidScan(offset: scan.offset, reason: "DC Huffman table selector \(sc.dcTable) (0…3 allowed)")
                }
                guard let dc = dcSpecs[sc.dcTable] ?? MarkerParser.standardSpec(dc: true, index: sc.dcTable) else {
                    throw .missingHuffmanTable(isDC: true, index: sc.dcTable, offset: scan.offset)
                }
                decoder.install(try HuffmanDecoder(dc, isDC: true, offset: scan.offset), slot: sc.dcTable)
            } else if !isDC {
                guard sc.acTable < 4 else {
                    throw .invalidScan(offset: scan.offset, reason: "AC Huffman table selector \(sc.acTable) (0…3 allowed)")
                }
                guard let ac = acSpecs[sc.acTable] ?? MarkerParser.standardSpec(dc: false, index: sc.acTable) else {
                    throw .missingHuffmanTable(isDC: false, index: sc.acTable, offset: scan.offset)
                }
                decoder.install(try HuffmanDecoder(ac, isDC: false, offset: scan.offset), slot: 4 + sc.acTable)
            }
        }
        let segment = EntropySegment(file: file, start: dataStart, resynchronizing: restartInterval > 0)
        if planes.isEmpty {
            try checkMemory(frame: frame, wholePlanes: true, fileSize: file.count)
            planes = (0..<frame.components.count).map { c in
                [Int16](repeating: 0, count: frame.blocksWide(of: c) * frame.blocksHigh(of: c) * 64)
            }
        }
        var taken = planes
        planes = []
        defer { planes = taken }
        var damage = ScanDamage()
        let progressive = ProgressiveScanDecoder(tables: decoder)
        let interval = restartInterval
        try MarkerParser.withPlanePointers(&taken) { (pointers) throws(JPEGError) in
            damage = try progressive.decode(scan: scan, frame: frame, segment: segment,
                                            planes: pointers, restartInterval: interval)
        }
        try report(damage, segment: segment, file: file)
        lastGoodRow = damage.lastGoodRow
        for sc in scan.components { scanned[sc.frameIndex] = true }
        return segment.fileEnd
    }

    /// The components to render: for a progressive file whose coefficients are not all
    /// complete, with libjpeg's block smoothing applied (``BlockSmoothing``); otherwise as is.
    func smoothedForRendering(_ components: [DecodedComponent], frame: FrameHeader) -> [DecodedComponent] {
        guard frame.process == .progressive, coefficientBits.count == components.count else { return components }
        var tables: [[UInt16]] = []
        for c in components.indices {
            guard let t = latchedQuant[c] else { return components }
            tables.append(t)
        }
        guard BlockSmoothing.applies(coefficientBits: coefficientBits, tables: tables) else { return components }
        var smoothed = components
        for c in components.indices {
            var previous = previousCoefficientBits[c]
            if scans <= 1 { for k in 1...9 { previous[k] = -1 } }
            let comp = components[c]
            smoothed[c].coefficients = BlockSmoothing.smooth(
                plane: comp.coefficients, blocksWide: comp.widthInBlocks, blocksHigh: comp.heightInBlocks,
                realWide: (comp.sampleWidth + 7) / 8, realHigh: (comp.sampleHeight + 7) / 8,
                v: comp.verticalSampling, table: tables[c], bits: coefficientBits[c],
                previousBits: previous, lastGoodRow: lastGoodRow)
        }
        return smoothed
    }
}
