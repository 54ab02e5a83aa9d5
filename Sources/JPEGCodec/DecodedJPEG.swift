/// How the samples of a JPEG file are to be read as colour (libjpeg's `jpeg_color_space`).
public enum JPEGColorSpace: String, Sendable, Equatable {
    /// One component: luminance only.
    case grayscale
    /// Three components Y, Cb, Cr (JFIF), converted to RGB on decoding.
    case yCbCr
    /// Three components stored as R, G, B (Adobe APP14 transform 0, or ids 'R','G','B').
    case rgb
    /// Four components (CMYK or YCCK): recognised but not decoded.
    case cmykOrYCCK
    /// Any other component count.
    case unknown
}

/// Options for ``JPEGDecoder``.
public struct JPEGDecodingOptions: Sendable, Equatable {
    /// Largest width × height accepted, checked from the frame header before any pixel
    /// memory is allocated. Default 512 megapixels.
    public var maxPixels: Int

    /// Options with the given pixel limit.
    /// - Parameter maxPixels: largest width × height to accept (default 512 000 000).
    public init(maxPixels: Int = 512_000_000) {
        self.maxPixels = maxPixels
    }
}

/// One component of a decoded JPEG file in the DCT domain.
public struct DecodedComponent: Sendable, Equatable {
    /// Component identifier from the frame header.
    public var id: Int
    /// Horizontal sampling factor (1…4).
    public var horizontalSampling: Int
    /// Vertical sampling factor (1…4).
    public var verticalSampling: Int
    /// The 64 quantization steps used for this component, natural (row-major) order.
    public var quantizationTable: [UInt16]
    /// Blocks per row of the coefficient plane (padded to whole MCUs).
    public var widthInBlocks: Int
    /// Block rows of the coefficient plane (padded to whole MCUs).
    public var heightInBlocks: Int
    /// Quantized DCT coefficients: `widthInBlocks · heightInBlocks` blocks, row-major, each
    /// 64 values in natural order (index `8 · v + u`). Blocks in the MCU padding hold what
    /// the file coded there (zero if nothing).
    public var coefficients: [Int16]
    /// Samples per row this component really has (⌈width · H / Hmax⌉).
    public var sampleWidth: Int
    /// Rows this component really has (⌈height · V / Vmax⌉).
    public var sampleHeight: Int
}

/// The result of ``JPEGDecoder/decode(_:options:)``.
public struct DecodedJPEG: Sendable, Equatable {
    /// The pixels: gray (1 channel) for one-component files, RGB (3 channels) otherwise,
    /// identical to libjpeg-turbo's default decode. Orientation is *not* applied.
    public var image: RasterImage
    /// EXIF orientation 1…8 (1 when the file has none).
    public var orientation: Int
    /// The embedded ICC profile, reassembled from its APP2 chunks, if complete.
    public var iccProfile: [UInt8]?
    /// How the components were interpreted.
    public var colorSpace: JPEGColorSpace
    /// Per component, in frame order: coefficients, quantization table, sampling.
    public var components: [DecodedComponent]
    /// Restart interval in MCUs (0: none) of the last scan.
    public var restartInterval: Int
}

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
}

extension JPEGInfo {
    /// The Pillow (libjpeg `jpeg_set_quality`, baseline) quality 1…100 whose scaled Annex K
    /// tables equal this file's tables — luminance for the first component and, for colour
    /// files, chrominance for the second — or nil if no quality gives exactly these tables.
    /// When several qualities give the same tables, the highest is returned.
    public var pillowQuality: Int? {
        guard let first = components.first, first.quantizationTableIndex < quantizationTables.count,
              let luma = quantizationTables[first.quantizationTableIndex] else { return nil }
        var chroma: [UInt16]?
        if components.count >= 3 {
            let index = components[1].quantizationTableIndex
            guard index < quantizationTables.count, let table = quantizationTables[index] else { return nil }
            chroma = table
        }
        for quality in stride(from: 100, through: 1, by: -1) {
            guard StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: quality) == luma else { continue }
            if let chroma, StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: quality) != chroma { continue }
            return quality
        }
        return nil
    }
}
