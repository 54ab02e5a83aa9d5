/// Header facts of a JPEG file, read without decoding the image (``JPEGDecoder/inspect(_:options:)``).
public struct JPEGInfo: Sendable, Equatable {
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// Sample precision in bits.
    public var precision: Int
    /// Coding process announced by the SOFn marker.
    public var process: CodingProcess
    /// True for progressive (SOF2) files.
    public var isProgressive: Bool { process == .progressive }
    /// Components with their sampling factors and quantization table selectors.
    public var components: [FrameComponent]
    /// Restart interval in MCUs when the first scan starts (0: none).
    public var restartInterval: Int
    /// Quantization tables defined before the first scan, by slot 0…3 (nil: undefined),
    /// natural order.
    public var quantizationTables: [[UInt16]?]
    /// How the components are to be interpreted.
    public var colorSpace: JPEGColorSpace
    /// EXIF orientation 1…8 (1 when absent).
    public var orientation: Int
    /// The embedded ICC profile, if complete.
    public var iccProfile: [UInt8]?
    /// The EXIF block, XMP packet and pixel density (the same as ``DecodedJPEG/metadata``).
    public var metadata: JPEGMetadata = JPEGMetadata()
}
