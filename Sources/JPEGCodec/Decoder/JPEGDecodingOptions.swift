/// Options for ``JPEGDecoder``: what to return and the limits that keep a hostile or
/// damaged file from taking more memory, time or output than its size justifies.
public struct JPEGDecodingOptions: Sendable, Equatable {
    /// Largest width × height accepted, checked from the frame header before any pixel
    /// memory is allocated. Default 512 megapixels.
    public var maxPixels: Int

    /// Largest memory, in bytes, a decode may allocate for image-sized buffers (coefficient
    /// planes, the smoothing copy of a progressive file, the output pixels; see
    /// ``JPEGMemoryEstimate``). Checked from the frame header when the first scan is met,
    /// before any of them is allocated; a file that needs more is refused with
    /// ``JPEGError/tooMuchMemory(width:height:needed:limit:)``. This matters most for a tiny
    /// file that declares a huge image: libjpeg (and this decoder) fill the pixels the data
    /// does not cover with gray, so 600 bytes can ask for gigabytes.
    ///
    /// Default 1 GiB (1 073 741 824 bytes): a 4:2:0 photo of about 170 megapixels with its
    /// coefficients (6 bytes per pixel), or a progressive one of about 110 megapixels, fits
    /// on a small machine. A caller that needs more per pixel (a cleaner's float planes)
    /// adds its own share to ``JPEGInfo/decodingMemory(keepCoefficients:)`` and checks
    /// the sum before decoding.
    public var maxMemory: Int

    /// Largest decoding work, in passes over the image: the sum over all scans of the 8×8
    /// blocks each scan decodes may not exceed `maxScanPasses` × the blocks of all
    /// components (MCU padding included), or ``minimumScanWork`` blocks, whichever is more.
    /// The scan that would go beyond is refused before it is decoded, with
    /// ``JPEGError/tooMuchScanWork(scan:offset:blocks:limit:)``.
    ///
    /// Why: each scan of a progressive file walks every block of its components, even when
    /// its data is a few bytes of end-of-band runs, so a 75 KB file of 883 valid scans
    /// makes a 12-megapixel decode take 883 passes (seconds; libjpeg-turbo's "LJT-01-003").
    /// libjpeg-turbo only offers a scan count limit (djpeg `-maxscans`), which does not
    /// scale with the image. A baseline file takes 1 pass and libjpeg's standard
    /// progression about 6 (color 4:2:0) to 7 (gray); the default, 64, leaves a wide margin
    /// and keeps the worst case within a few tens of times a normal decode.
    public var maxScanPasses: Int

    /// Work that is always allowed, whatever the image size, in block decodes (1 048 576:
    /// a few tens of milliseconds), so that an unusual but harmless progression of a small
    /// image is never refused.
    public static let minimumScanWork = 1 << 20

    /// Most warnings listed in ``DecodedJPEG/warnings`` (default 20). Beyond it one
    /// ``JPEGWarning/moreWarnings(count:firstOffset:)`` counts the rest, so a file that
    /// repeats one defect 10 000 times gives a readable list.
    public var maxWarnings: Int

    /// Keep the quantized DCT coefficients in ``DecodedJPEG/components`` (default). When
    /// false, the coefficient arrays are empty and a file whose first scan holds every
    /// component (the usual single-scan baseline file) is decoded in one pass, MCU row by
    /// MCU row, without whole-image coefficient planes: less memory, and faster.
    public var keepCoefficients: Bool

    /// Refuse damaged files that libjpeg would recover from (a truncated scan, a missing EOI,
    /// stray bytes between segments, an inconsistent progression, bad Huffman codes, wrong
    /// restart markers): the first such problem is thrown — as ``JPEGError/truncated(offset:)``,
    /// ``JPEGError/badHuffmanCode(offset:)`` or ``JPEGError/badRestartMarker(expected:offset:)``
    /// for those three, as ``JPEGError/damaged(_:)`` for the others. Default false: they are decoded the way
    /// libjpeg decodes them and listed in ``DecodedJPEG/warnings``.
    public var strict: Bool

    /// Options with the given limits.
    /// - Parameters:
    ///   - maxPixels: largest width × height to accept (default 512 000 000).
    ///   - maxMemory: largest memory in bytes for image-sized buffers (default 1 GiB).
    ///   - maxScanPasses: largest decoding work in passes over the image (default 64).
    ///   - maxWarnings: most warnings listed before the rest are counted (default 20).
    ///   - keepCoefficients: return the coefficients too (default true).
    ///   - strict: throw on damage that libjpeg recovers from (default false).
    public init(maxPixels: Int = 512_000_000, maxMemory: Int = 1 << 30, maxScanPasses: Int = 64,
                maxWarnings: Int = 20, keepCoefficients: Bool = true, strict: Bool = false) {
        self.strict = strict
        self.maxPixels = maxPixels
        self.maxMemory = maxMemory
        self.maxScanPasses = maxScanPasses
        self.maxWarnings = maxWarnings
        self.keepCoefficients = keepCoefficients
    }
}
