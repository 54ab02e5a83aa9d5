/// The result of ``JPEGDecoder/decode(_:options:)``.
public struct DecodedJPEG: Sendable, Equatable {
    /// The pixels: gray (1 channel) for one-component files, RGB (3 channels) otherwise,
    /// identical to libjpeg-turbo's default decode. Orientation is *not* applied.
    public var image: RasterImage
    /// EXIF orientation 1…8 (1 when the file has none).
    public var orientation: Int
    /// The embedded ICC profile, reassembled from its APP2 chunks, if complete.
    public var iccProfile: [UInt8]?
    /// The EXIF block, XMP packet and pixel density to carry into another format (read
    /// from the segments before the first scan; empty when the file has none).
    public var metadata: JPEGMetadata = JPEGMetadata()
    /// How the components were interpreted.
    public var colorSpace: JPEGColorSpace
    /// Per component, in frame order: coefficients, quantization table, sampling.
    public var components: [DecodedComponent]
    /// Restart interval in MCUs (0: none) of the last scan.
    public var restartInterval: Int
    /// Damage the decoder recovered from the way libjpeg does, in file order (empty for a
    /// sound file).
    public var warnings: [JPEGWarning] = []
    /// True when every coefficient of every component was coded to full precision: false
    /// for a progressive file whose scans stop before the last bit of some coefficient (its
    /// pixels then come from libjpeg's block smoothing), for a component no scan covered,
    /// and for scans whose data ran out or held bad codes. A cleaner should not treat
    /// incomplete coefficients as the exact quantized values.
    public var coefficientsComplete: Bool = true
    /// The work the scans took: the 8×8 blocks decoded, summed over all scans (one pass of
    /// a 4:2:0 colour image of N blocks of luma is 1.5·N). A baseline file takes one pass;
    /// ``JPEGDecodingOptions/maxScanPasses`` bounds it.
    public var blocksDecoded: Int = 0
}
