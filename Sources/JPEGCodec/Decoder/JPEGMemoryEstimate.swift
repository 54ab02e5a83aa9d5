/// The memory a decode of one JPEG file allocates at its peak, in bytes, estimated from the
/// frame header alone (size, components, sampling, coding process): what
/// ``JPEGDecoder/decode(_:options:)`` compares with ``JPEGDecodingOptions/maxMemory`` before
/// it allocates any image-sized buffer, and what a caller adds its own needs to (a cleaner's
/// float planes, an encoder's output) to budget a whole job.
///
/// Not counted: the file itself (the caller holds it) and one copy of a scan's entropy-coded
/// data, at most the file's size, that the decoder makes while it reads the scan.
public struct JPEGMemoryEstimate: Sendable, Equatable {
    /// Whole-image planes of quantized DCT coefficients, 128 bytes per 8×8 block of every
    /// component (MCU padding included). Needed for progressive files, for files read with
    /// ``JPEGDecodingOptions/keepCoefficients``, and for sequential files whose first scan
    /// lacks a component; 0 otherwise (the single-scan file is decoded band by band).
    public var coefficientBytes: Int
    /// Progressive files: the copy of the coefficient planes that libjpeg's block smoothing
    /// works on when the scans stop before the last bit (counted for every progressive
    /// file, since the header cannot tell). 0 for sequential files.
    public var smoothingBytes: Int
    /// Sample rings, row buffers and (when coefficients are not kept) the one-band
    /// coefficient buffers of the band-by-band renderer: a few MCU rows of each component.
    public var workingBytes: Int
    /// The decoded pixels: width × height × channels (1 for gray, 3 otherwise).
    public var outputBytes: Int

    /// Everything above added up: the peak a decode reaches.
    public var total: Int { coefficientBytes + smoothingBytes + workingBytes + outputBytes }

    /// The estimate for a frame.
    /// - Parameters:
    ///   - frame: the frame header (size, components, sampling factors, process).
    ///   - wholePlanes: whether whole-image coefficient planes are allocated.
    init(frame: FrameHeader, wholePlanes: Bool) {
        let n = frame.components.count
        var planes = 0, rings = 0, bandBuffers = 0
        for c in 0..<n {
            let wide = frame.blocksWide(of: c), v = frame.components[c].verticalSampling
            planes += wide * frame.blocksHigh(of: c) * 64 * 2
            rings += 3 * (8 * v) * (wide * 8)
            bandBuffers += wide * v * 64 * 2
        }
        let rowCapacity = frame.width + 8 * frame.maxHorizontalSampling
        let rows = rowCapacity * max(n, 1) + rowCapacity * 4
        coefficientBytes = wholePlanes ? planes : 0
        smoothingBytes = wholePlanes && frame.process == .progressive ? planes : 0
        workingBytes = rings + rows + (wholePlanes ? 0 : bandBuffers)
        outputBytes = frame.width * frame.height * (n == 1 ? 1 : 3)
    }
}
