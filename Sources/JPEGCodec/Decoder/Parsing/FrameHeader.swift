/// The frame header (SOFn segment, T.81 B.2.2) and the sizes derived from it.
struct FrameHeader: Sendable, Equatable {
    /// Coding process of the SOFn marker.
    var process: CodingProcess
    /// Sample precision P in bits.
    var precision: Int
    /// Image width in pixels (X).
    var width: Int
    /// Image height in lines (Y).
    var height: Int
    /// Components in frame order.
    var components: [FrameComponent]
    /// Byte offset of the SOFn marker.
    var offset: Int

    /// Largest horizontal sampling factor of the components.
    var maxHorizontalSampling: Int { max(components.map(\.horizontalSampling).max() ?? 1, 1) }
    /// Largest vertical sampling factor of the components.
    var maxVerticalSampling: Int { max(components.map(\.verticalSampling).max() ?? 1, 1) }
    /// MCU columns of an interleaved scan: ⌈width / (8 · Hmax)⌉.
    var mcuColumns: Int { (width + 8 * maxHorizontalSampling - 1) / (8 * maxHorizontalSampling) }
    /// MCU rows of an interleaved scan: ⌈height / (8 · Vmax)⌉.
    var mcuRows: Int { (height + 8 * maxVerticalSampling - 1) / (8 * maxVerticalSampling) }

    /// Samples per line of component `c` (libjpeg's `downsampled_width`): ⌈width · Hc / Hmax⌉.
    func sampleWidth(of c: Int) -> Int {
        let h = components[c].horizontalSampling, hmax = maxHorizontalSampling
        return (width * h + hmax - 1) / hmax
    }
    /// Lines of component `c` (libjpeg's `downsampled_height`): ⌈height · Vc / Vmax⌉.
    func sampleHeight(of c: Int) -> Int {
        let v = components[c].verticalSampling, vmax = maxVerticalSampling
        return (height * v + vmax - 1) / vmax
    }
    /// Blocks per row stored for component `c` (padded to whole MCUs): mcuColumns · Hc.
    func blocksWide(of c: Int) -> Int { mcuColumns * components[c].horizontalSampling }
    /// Block rows stored for component `c` (padded to whole MCUs): mcuRows · Vc.
    func blocksHigh(of c: Int) -> Int { mcuRows * components[c].verticalSampling }

    /// Parses a SOFn segment body.
    /// - Parameters:
    ///   - marker: the SOFn marker code.
    ///   - body: the segment bytes after the length field.
    ///   - offset: file offset of the marker, for errors.
    /// - Returns: the header; sizes and factors are validated as libjpeg does.
    static func parse(marker: UInt8, body: ArraySlice<UInt8>, offset: Int) throws(JPEGError) -> FrameHeader {
        guard let process = CodingProcess(marker: marker) else {
            throw .invalidMarker(marker: marker, offset: offset)
        }
        let b = Array(body)
        guard b.count >= 6 else {
            throw .invalidSegmentLength(marker: marker, length: b.count + 2, offset: offset)
        }
        let precision = Int(b[0])
        let height = Int(b[1]) << 8 | Int(b[2])
        let width = Int(b[3]) << 8 | Int(b[4])
        let count = Int(b[5])
        guard b.count == 6 + 3 * count else {
            throw .invalidSegmentLength(marker: marker, length: b.count + 2, offset: offset)
        }
        var components: [FrameComponent] = []
        for i in 0..<count {
            let id = Int(b[6 + 3 * i])
            let h = Int(b[7 + 3 * i] >> 4), v = Int(b[7 + 3 * i] & 15)
            let tq = Int(b[8 + 3 * i])
            components.append(FrameComponent(id: id, horizontalSampling: h,
                                             verticalSampling: v, quantizationTableIndex: tq))
        }
        return FrameHeader(process: process, precision: precision, width: width, height: height,
                           components: components, offset: offset)
    }

    /// Checks what libjpeg checks before decoding (jdinput.c `initial_setup`) plus the
    /// caller's pixel limit; does not look at features this decoder lacks.
    func validate(maxPixels: Int) throws(JPEGError) {
        guard width > 0, height > 0, width <= 65500, height <= 65500 else {
            throw .invalidDimensions(width: width, height: height, offset: offset)
        }
        let pixels = width * height
        guard pixels <= maxPixels else { throw .tooManyPixels(declared: pixels, limit: maxPixels) }
        guard !components.isEmpty, components.count <= 10 else {
            throw .invalidFrame(offset: offset, reason: "\(components.count) components (1…10 allowed)")
        }
        for (i, c) in components.enumerated() {
            guard (1...4).contains(c.horizontalSampling), (1...4).contains(c.verticalSampling) else {
                throw .invalidFrame(offset: offset, reason: "component \(i) has sampling factors \(c.horizontalSampling)×\(c.verticalSampling) (1…4 allowed)")
            }
            guard c.quantizationTableIndex < 4 else {
                throw .invalidFrame(offset: offset, reason: "component \(i) uses quantization table \(c.quantizationTableIndex) (0…3 allowed)")
            }
        }
    }
}
