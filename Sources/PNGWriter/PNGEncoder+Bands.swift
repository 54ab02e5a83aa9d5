import LZ77

/// Runs `body(i)` once for every `i` in `0..<count`, in any order and on any threads, and
/// returns when every call has returned.
///
/// ``PNGEncoder`` hands its independent pieces of work (row filtering and deflate of each
/// band) to such a runner, so a caller with threads can spread them out (`unjpeg` does it with
/// Linalg's `parallelForEach`) while PNGWriter itself stays standard-library-only. The pieces
/// write disjoint memory and the band split depends only on the image's size and format, so
/// the encoder's bytes never depend on the runner.
public typealias PNGBandRunner = (_ count: Int, _ body: @Sendable (Int) -> Void) -> Void

/// The image data of a PNG in bands: rows are filtered and deflated band by band, each band a
/// run of deflate blocks ending on a byte boundary (see LZ77's `Deflater.deflateBand`), so the
/// bands can be compressed at the same time and concatenated into one zlib stream.
///
/// A band's matches may reach back into the previous 32 KiB of filtered data (the end of the
/// band before it, which the decoder has just produced), as in one continuous stream, so the
/// split costs only a block header and an empty stored block (5 bytes) per band. The zlib
/// Adler-32 is combined from the bands' own checksums.
extension PNGEncoder {
    /// The filtered bytes (rows with their filter-type byte) a band aims at: bands are
    /// `⌈filtered size / bandBytes⌉` runs of whole rows, as even as rows allow. Large enough
    /// that the per-band cost is negligible (about 0.02 % of a photo's PNG), small enough
    /// that a 2-megapixel image has a dozen bands to share among threads.
    public static let bandBytes = 1 << 19

    /// The rows of each band of an image: a function of the size and format only (never of
    /// the threads that will run them), so the PNG's bytes are the same however it is run.
    /// One band when the filtered image is at most ``bandBytes``.
    /// - Parameters:
    ///   - width: Width in pixels (≥ 1).
    ///   - height: Height in pixels (≥ 1).
    ///   - format: The pixel format.
    /// - Returns: Consecutive row ranges covering `0..<height`.
    public static func bandRows(width: Int, height: Int, format: PNGPixelFormat) -> [Range<Int>] {
        guard height > 0 else { return [] }
        let rowBytes = width * format.channels * format.bitDepth / 8 + 1
        let (total, overflow) = rowBytes.multipliedReportingOverflow(by: height)
        let bands = overflow ? height : min(height, max(1, (total + bandBytes - 1) / bandBytes))
        return (0..<bands).map { height * $0 / bands ..< height * ($0 + 1) / bands }
    }

    /// A ``PNGBandRunner`` that runs every piece on the calling thread, in order.
    public static func serial(_ count: Int, _ body: @Sendable (Int) -> Void) {
        for i in 0..<count { body(i) }
    }

    /// The zlib stream of the image data: rows filtered and deflated in bands (each step's
    /// bands run by `runBands`), then concatenated behind the zlib header with the combined
    /// Adler-32.
    func compressImageData(_ raw: UnsafePointer<UInt8>, width: Int, height: Int, format: PNGPixelFormat,
                           runBands: PNGBandRunner) -> [UInt8] {
        let bytesPerPixel = format.channels * format.bitDepth / 8
        let rowBytes = width * bytesPerPixel
        let filteredCount = height * (rowBytes + 1)
        let bands = PNGEncoder.bandRows(width: width, height: height, format: format)
        let work = BandWork(raw: raw, filtered: .allocate(capacity: filteredCount + 16),
                            streams: .allocate(capacity: bands.count), checksums: .allocate(capacity: bands.count))
        defer {
            work.filtered.deallocate()
            work.streams.deinitialize(count: bands.count)
            work.streams.deallocate()
            work.checksums.deallocate()
        }
        // The deflater's 8-byte loads may look 16 bytes past the end (never using what they find).
        (work.filtered + filteredCount).initialize(repeating: 0, count: 16)
        work.streams.initialize(repeating: [], count: bands.count)
        work.checksums.initialize(repeating: Adler32(), count: bands.count)

        // Filtering reads only the raw image, so every band's rows can be filtered at once;
        // deflate starts once all are, because a band's history is the end of the band before.
        runBands(bands.count) { i in
            RowFilter.filterRows(bands[i], of: work.raw, rowBytes: rowBytes, bpp: bytesPerPixel, into: work.filtered)
        }
        let parameters = level.matchParameters, last = bands.count - 1
        runBands(bands.count) { i in
            let start = bands[i].lowerBound * (rowBytes + 1), count = bands[i].count * (rowBytes + 1)
            work.streams[i] = Deflater.deflateBand(work.filtered + start, history: min(start, Deflater.window),
                                                   count: count, isLast: i == last, parameters: parameters)
            var adler = Adler32()
            adler.update(UnsafeRawBufferPointer(start: work.filtered + start, count: count))
            work.checksums[i] = adler
        }

        var stream = Deflater.zlibHeader(parameters)
        stream.reserveCapacity(2 + (0..<bands.count).reduce(0) { $0 + work.streams[$1].count } + 4)
        var adler = Adler32()
        for i in 0..<bands.count {
            stream += work.streams[i]
            adler = adler.combined(with: work.checksums[i], length: bands[i].count * (rowBytes + 1))
        }
        Deflater.appendTrailer(&stream, adler)
        return stream
    }
}

/// The memory the band tasks share: the raw image (read), the filtered image (each band
/// writes its own rows, then reads its rows and the 32 KiB before them), and one slot per
/// band for its deflate bytes and checksum.
struct BandWork: @unchecked Sendable {
    let raw: UnsafePointer<UInt8>
    let filtered: UnsafeMutablePointer<UInt8>
    let streams: UnsafeMutablePointer<[UInt8]>
    let checksums: UnsafeMutablePointer<Adler32>
}
