extension QuantSmooth {
    /// For each block of a round, the index of the first block (in raster order) whose update
    /// has the same inputs — its 64 coefficients, the file's 64 (which give its bins and
    /// dequantized coefficients exactly: `n·Q` is exact in `Float` for any 16-bit `n` and
    /// 16-bit `Q`, so equal file coefficients and equal dequantized ones are the same test) and the
    /// 10 × 10 samples of the rebuilt image under and around it — or its own index. A block's
    /// update reads nothing else, so a repeated block can take its first's result.
    ///
    /// Why: screenshots repeat themselves (a long straight edge across a flat area gives the same
    /// block again and again along it); flat blocks are skipped anyway, and a repeated one that
    /// is not flat costs its 63 updates.
    ///
    /// Blocks are hashed on `threads` threads and grouped in order on the caller (each match
    /// confirmed byte for byte), so the result does not depend on the thread count.
    static func firstRepeats(image: UnsafePointer<Float>, coef: UnsafePointer<Float>, file: UnsafePointer<Int16>,
                             fileBlocksWide cbw: Int, blocksWide bw: Int, blocksHigh bh: Int, stride: Int, threads: Int) -> [Int] {
        let count = bw * bh, floatBytes = MemoryLayout<Float>.stride, fileBytes = MemoryLayout<Int16>.stride
        // Block n's samples with their ring start one row up and one column left of it.
        let imageIn = SharedInput(image), coefIn = SharedInput(coef), fileIn = SharedInput(file)
        @Sendable func ring(_ n: Int) -> UnsafeRawPointer {
            UnsafeRawPointer(imageIn.base + (n / bw) * 8 * stride + (n % bw) * 8)
        }
        /// Block n's coefficients in the file (whose rows may hold padding blocks beyond `bw`).
        @Sendable func fileBlock(_ n: Int) -> UnsafePointer<Int16> { fileIn.base + ((n / bw) * cbw + n % bw) * 64 }
        var hashes = [UInt64].unfilled(count)
        hashes.withUnsafeMutableBufferPointer { out in
            let dst = SharedOutput(out)
            RowBands.run(count, samplesPerRow: 228, threads: threads) { blocks in
                for n in blocks {
                    var lanes = ContentHash.lanes(coefIn.base + n * 64, rows: 1, rowBytes: 64 * floatBytes, stride: 0)
                    lanes = ContentHash.lanes(fileBlock(n), rows: 1, rowBytes: 64 * fileBytes, stride: 0, from: lanes)
                    lanes = ContentHash.lanes(ring(n), rows: 10, rowBytes: 10 * floatBytes, stride: stride * floatBytes, from: lanes)
                    dst.base[n] = ContentHash.finish(lanes)
                }
            }
        }
        // Equal bits (bytes), as the hash saw them.
        return ContentHash.firstOccurrences(hashes) { a, b in
            ContentHash.equal(coef + a * 64, coef + b * 64, rows: 1, rowBytes: 64 * floatBytes, stride: 0)
                && ContentHash.equal(fileBlock(a), fileBlock(b), rows: 1, rowBytes: 64 * fileBytes, stride: 0)
                && ContentHash.equal(ring(a), ring(b), rows: 10, rowBytes: 10 * floatBytes, stride: stride * floatBytes)
        }
    }
}
