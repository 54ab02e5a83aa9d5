extension JPEGInfo {
    /// The memory decoding this file needs, from its header alone; see ``JPEGMemoryEstimate``.
    ///
    /// - Parameter keepCoefficients: as ``JPEGDecodingOptions/keepCoefficients``. When false,
    ///   a sequential file is assumed to have its usual single interleaved scan (decoded
    ///   band by band, without coefficient planes); the decoder itself checks the real
    ///   need against ``JPEGDecodingOptions/maxMemory`` when it meets the first scan.
    /// - Returns: the estimate in bytes, by kind of buffer.
    public func decodingMemory(keepCoefficients: Bool = true) -> JPEGMemoryEstimate {
        let frame = FrameHeader(process: process, precision: precision, width: width, height: height,
                                components: components, offset: 0)
        return JPEGMemoryEstimate(frame: frame, wholePlanes: keepCoefficients || process == .progressive)
    }
}
