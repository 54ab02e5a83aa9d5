/// Turns inflated image data (filtered rows, possibly in Adam7 passes) into samples:
/// undo each row's filter (PNG spec §9.2), unpack sub-byte samples, then place the pixels
/// of each pass at their positions.
enum ImageData {
    /// Reconstructs the samples from `raw`, which holds exactly the bytes IHDR implies.
    static func reconstruct(_ raw: UnsafeMutablePointer<UInt8>, width: Int, height: Int, depth: Int,
                            channels: Int, interlaced: Bool) throws(PNGError) -> PNGSamples {
        let bitsPerPixel = depth * channels
        let bpp = max(1, bitsPerPixel / 8)
        let sampleCount = width * height * channels
        if depth == 16 {
            var out = [UInt16](repeating: 0, count: sampleCount)
            try out.withUnsafeMutableBufferPointer { o throws(PNGError) in
                try forEachPass(raw, width, height, bitsPerPixel, bpp, interlaced) { row, y, x0, dx, pw in
                    for i in 0..<pw {
                        let dst = (y * width + x0 + i * dx) * channels
                        for c in 0..<channels {
                            let k = 2 * (i * channels + c)
                            o[dst + c] = UInt16(row[k]) << 8 | UInt16(row[k + 1])
                        }
                    }
                }
            }
            return .uint16(out)
        }
        var out = [UInt8](repeating: 0, count: sampleCount)
        try out.withUnsafeMutableBufferPointer { o throws(PNGError) in
            try forEachPass(raw, width, height, bitsPerPixel, bpp, interlaced) { row, y, x0, dx, pw in
                if depth == 8 {
                    if dx == 1 {
                        (o.baseAddress! + y * width * channels).update(from: row, count: pw * channels)
                    } else {
                        for i in 0..<pw {
                            let dst = (y * width + x0 + i * dx) * channels
                            for c in 0..<channels { o[dst + c] = row[i * channels + c] }
                        }
                    }
                } else {
                    // channels == 1 for depths below 8.
                    let perByte = 8 / depth
                    let mask = UInt8((1 << depth) - 1)
                    for i in 0..<pw {
                        let byte = row[i / perByte]
                        let shift = 8 - depth * (i % perByte + 1)
                        o[y * width + x0 + i * dx] = (byte >> UInt8(shift)) & mask
                    }
                }
            }
        }
        return .uint8(out)
    }

    /// Unfilters every row of every pass in place and hands it to `body(row, y, x0, dx, passWidth)`.
    private static func forEachPass(_ raw: UnsafeMutablePointer<UInt8>, _ width: Int, _ height: Int,
                                    _ bitsPerPixel: Int, _ bpp: Int, _ interlaced: Bool,
                                    _ body: (UnsafePointer<UInt8>, Int, Int, Int, Int) -> Void) throws(PNGError) {
        var p = raw
        var rowIndex = 0
        let passList: [(Int, Int, Int, Int)] = interlaced ? Adam7.pattern : [(0, 0, 1, 1)]
        for (x0, y0, dx, dy) in passList {
            let pw = width > x0 ? (width - x0 + dx - 1) / dx : 0
            let ph = height > y0 ? (height - y0 + dy - 1) / dy : 0
            guard pw > 0 && ph > 0 else { continue }
            let rowBytes = (pw * bitsPerPixel + 7) / 8
            var prior: UnsafeMutablePointer<UInt8>? = nil
            for r in 0..<ph {
                let type = p[0]
                let row = p + 1
                guard type <= 4 else { throw .invalidFilterType(row: rowIndex, type: Int(type)) }
                unfilter(type, row, prior, rowBytes, bpp)
                body(row, y0 + r * dy, x0, dx, pw)
                prior = row
                p += rowBytes + 1
                rowIndex += 1
            }
        }
    }

    /// Undoes one row's filter in place; `prior` is the previous row of the same pass
    /// (already unfiltered) or nil for the first row (treated as zeros).
    @inline(__always)
    static func unfilter(_ type: UInt8, _ row: UnsafeMutablePointer<UInt8>, _ prior: UnsafeMutablePointer<UInt8>?,
                         _ n: Int, _ bpp: Int) {
        let lead = min(bpp, n)
        switch type {
        case 1:
            var i = bpp
            while i < n { row[i] &+= row[i - bpp]; i += 1 }
        case 2:
            guard let up = prior else { return }
            for i in 0..<n { row[i] &+= up[i] }
        case 3:
            if let up = prior {
                for i in 0..<lead { row[i] &+= up[i] >> 1 }
                var i = lead
                while i < n { row[i] &+= UInt8((Int(row[i - bpp]) + Int(up[i])) >> 1); i += 1 }
            } else {
                var i = lead
                while i < n { row[i] &+= row[i - bpp] >> 1; i += 1 }
            }
        case 4:
            if let up = prior {
                for i in 0..<lead { row[i] &+= up[i] }
                var i = lead
                while i < n {
                    // Branch-free Paeth: the predictor depends on the byte just written, so
                    // this loop is serial; mispredicted branches would dominate it.
                    let a = Int(row[i - bpp]), b = Int(up[i]), c = Int(up[i - bpp])
                    let dbc = b - c, dac = a - c, dsum = dbc + dac
                    let pa = (dbc ^ (dbc >> 63)) - (dbc >> 63)
                    let pb = (dac ^ (dac >> 63)) - (dac >> 63)
                    let pc = (dsum ^ (dsum >> 63)) - (dsum >> 63)
                    let notA = ((pb - pa) | (pc - pa)) >> 63 // −1 if pa > pb or pa > pc
                    let notB = (pc - pb) >> 63 // −1 if pb > pc
                    let bc = (b & ~notB) | (c & notB)
                    row[i] &+= UInt8(truncatingIfNeeded: (a & ~notA) | (bc & notA))
                    i += 1
                }
            } else {
                var i = lead
                while i < n { row[i] &+= row[i - bpp]; i += 1 }
            }
        default:
            return
        }
    }
}
