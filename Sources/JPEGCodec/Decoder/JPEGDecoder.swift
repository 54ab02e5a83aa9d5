/// A baseline, extended-sequential and progressive JPEG decoder whose pixels are identical
/// to libjpeg-turbo's default decode (what Pillow's `Image.open(f).convert("RGB")` gives).
///
/// Supported: SOF0, SOF1 and SOF2, 8-bit samples, Huffman coding, 1 component (gray), 3
/// (YCbCr, or RGB per Adobe APP14 transform 0) or 4 (CMYK/YCCK, converted to RGB as Pillow
/// does), sampling factors 1…4 with integer ratios, interleaved and non-interleaved scans,
/// spectral selection and successive approximation, restart intervals, 8- and 16-bit
/// quantization tables, Motion-JPEG frames without DHT (standard tables), EXIF orientation
/// and ICC profiles (kept, not applied), and the EXIF block, XMP packet and pixel density
/// (``JPEGMetadata``, kept for carrying into a PNG). Progressive files that stop early get libjpeg's
/// block smoothing. Everything else throws ``JPEGError/unsupported(feature:offset:)``.
/// Damage libjpeg recovers from (truncated scans, missing EOI, stray bytes, bad codes, wrong
/// restart markers) is recovered the same way and listed in ``DecodedJPEG/warnings``, or
/// thrown with ``JPEGDecodingOptions/strict``; other damage throws; nothing traps.
///
/// Pipeline: markers are parsed in one pass over the file; each scan's entropy-coded data is
/// unstuffed into a padded buffer and Huffman-decoded (10-bit lookahead tables, a combined
/// run/size/value table for short AC codes) into coefficient planes; then, one MCU row at a
/// time, the islow inverse DCT (SIMD8), libjpeg's fancy upsampling and its fixed-point
/// YCbCr→RGB run into the output. With `keepCoefficients: false`, a single full scan is
/// decoded and rendered MCU row by MCU row without whole-image coefficient planes;
/// progressive scans (``ProgressiveScanDecoder``) always fill whole-image planes first.
public enum JPEGDecoder {
    /// Decodes a whole JPEG file.
    /// - Parameters:
    ///   - bytes: the complete file.
    ///   - options: limits; see ``JPEGDecodingOptions``.
    /// - Returns: pixels (gray: 1 channel, otherwise RGB), per-component quantized
    ///   coefficients and tables, orientation, ICC profile, and the EXIF block, XMP packet
    ///   and pixel density (``DecodedJPEG/metadata``).
    /// - Throws: ``JPEGError`` describing what is wrong and where.
    public static func decode(_ bytes: [UInt8], options: JPEGDecodingOptions = JPEGDecodingOptions()) throws(JPEGError) -> DecodedJPEG {
        var parser = MarkerParser(mode: .decode, options: options)
        try bytes.withUnsafeBufferPointer { (file) throws(JPEGError) in try parser.run(file) }
        if parser.needsCoefficientRerun {
            // A scan followed a streamed one (rare in sequential files): decode again with
            // whole-image coefficient planes, then drop them.
            parser.streamedImage = nil  // not needed any more: free it before the second decode
            var keeping = options
            keeping.keepCoefficients = true
            var result = try decode(bytes, options: keeping)
            for i in result.components.indices { result.components[i].coefficients = [] }
            return result
        }
        return try parser.finish()
    }

    /// Reads the headers up to the first scan without decoding any image data.
    /// - Parameters:
    ///   - bytes: the file (only its headers are needed).
    ///   - options: limits; see ``JPEGDecodingOptions``.
    /// - Returns: size, components and sampling, coding process, restart interval,
    ///   quantization tables, colour interpretation, orientation, ICC profile and the
    ///   other metadata (EXIF, XMP, density) of the segments before the first scan.
    /// - Throws: ``JPEGError`` if the headers are damaged or there is no frame header.
    public static func inspect(_ bytes: [UInt8], options: JPEGDecodingOptions = JPEGDecodingOptions()) throws(JPEGError) -> JPEGInfo {
        var parser = MarkerParser(mode: .inspect, options: options)
        try bytes.withUnsafeBufferPointer { (file) throws(JPEGError) in try parser.run(file) }
        guard let frame = parser.frame else { throw .missingSOF(offset: bytes.count) }
        return JPEGInfo(width: frame.width, height: frame.height, precision: frame.precision,
                        process: frame.process, components: frame.components,
                        restartInterval: parser.restartInterval,
                        quantizationTables: parser.quantTables, colorSpace: parser.colorSpace(frame),
                        orientation: parser.orientation ?? 1, iccProfile: parser.icc.profile,
                        metadata: parser.metadata.metadata)
    }
}
