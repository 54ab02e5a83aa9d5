import Linalg

/// Row-parallel loops over images: the per-pixel and per-block-row work of the stages, split
/// into contiguous bands of rows on `threads` threads (``Linalg/parallelFor(_:threads:_:)``).
/// Each row's outputs are written by exactly one band and computed exactly as in one pass, so
/// the results never depend on the thread count (`ThreadInvarianceTests`).
enum RowBands {
    /// Below this many samples of work, threads cost more than they save.
    static let minimumWork = 1 << 12

    /// Runs `body` over `0..<rows` in at most `threads` contiguous bands; on the caller alone
    /// when `rows · samplesPerRow` is small.
    static func run(_ rows: Int, samplesPerRow: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let work = rows.multipliedReportingOverflow(by: max(samplesPerRow, 1))
        let useful = !work.overflow && work.partialValue < minimumWork ? 1 : threads
        parallelFor(0..<rows, threads: useful, body)
    }
}

extension RowBands {
    /// `body` of `0..<rows` split into at most `threads` contiguous bands of at least
    /// `minimumRows` rows (one band for a small image), the bands on the threads; their results
    /// in band order, for work whose per-band results the caller merges (counts, extents).
    static func perBand<T>(_ rows: Int, minimumRows: Int, threads: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let n = max(1, min(threads, rows / max(minimumRows, 1)))
        var results = [T?](repeating: nil, count: n)
        results.withUnsafeMutableBufferPointer { r in
            let out = SharedOutput(r)
            parallelForEach(n, threads: threads) { k in out.base[k] = body((rows * k / n)..<(rows * (k + 1) / n)) }
        }
        return results.map { $0! }  // every band wrote its own
    }

    /// Runs `body` over `0..<rows` in chunks of `chunkRows` rows handed to whichever of
    /// `threads` threads is free (``Linalg/parallelForEach(_:threads:_:)``): for loops whose
    /// rows cost unevenly (smoothing skips flat blocks, flat areas skip busy pixels), where
    /// fixed halves would leave one thread idle. Same outputs as one pass.
    static func runDynamic(_ rows: Int, chunkRows: Int, samplesPerRow: Int, threads: Int,
                           _ body: @Sendable (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let work = rows.multipliedReportingOverflow(by: max(samplesPerRow, 1))
        let chunk = max(chunkRows, 1), chunks = (rows + chunk - 1) / chunk
        guard threads > 1, chunks > 1, work.overflow || work.partialValue >= minimumWork else {
            body(0..<rows)
            return
        }
        parallelForEach(chunks, threads: threads) { k in
            body((k * chunk)..<min(rows, (k + 1) * chunk))
        }
    }
}

/// Memory that the bands of a row-parallel loop write, each its own rows (hence `@unchecked`).
/// An empty buffer gives a dangling (aligned, never dereferenced) pointer: its loops are empty.
struct SharedOutput<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }
    init(_ pointer: UnsafeMutablePointer<Element>) { base = pointer }
}

/// Memory that the bands of a row-parallel loop only read.
struct SharedInput<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ buffer: UnsafeBufferPointer<Element>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }
    init(_ pointer: UnsafePointer<Element>) { base = pointer }
}
