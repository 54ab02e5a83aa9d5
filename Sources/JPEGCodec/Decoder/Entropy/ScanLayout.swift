/// How one scan walks the coefficient planes: its MCU grid and, per scan component, the
/// blocks it contributes to an MCU and the plane it writes. Shared by the sequential and the
/// progressive scan decoders.
struct ScanLayout {
    /// Whether the scan holds more than one component (MCUs of several blocks each).
    let interleaved: Bool
    /// MCUs per row and rows of MCUs: the frame's grid when interleaved, else the
    /// component's own blocks.
    let mcusX: Int, mcusY: Int
    /// Per scan component: horizontal and vertical blocks per MCU (1 when not interleaved).
    let hs: [Int], vs: [Int]
    /// Per scan component: blocks per row of its coefficient plane.
    let strides: [Int]
    /// Per scan component: its coefficient plane.
    let planes: [UnsafeMutablePointer<Int16>]

    /// The layout of `scan` in `frame`; `framePlanes` holds one plane per frame component.
    /// Throws for an interleaved MCU of more than 10 blocks (T.81 B.2.3).
    init(scan: ScanHeader, frame: FrameHeader, framePlanes: [UnsafeMutablePointer<Int16>]) throws(JPEGError) {
        let comps = scan.components
        interleaved = comps.count > 1
        if interleaved {
            mcusX = frame.mcuColumns
            mcusY = frame.mcuRows
            let blocks = comps.reduce(0) {
                $0 + frame.components[$1.frameIndex].horizontalSampling * frame.components[$1.frameIndex].verticalSampling
            }
            guard blocks <= 10 else {
                throw .invalidScan(offset: scan.offset, reason: "an MCU of \(blocks) blocks (at most 10 allowed)")
            }
        } else {
            let c = comps[0].frameIndex
            mcusX = (frame.sampleWidth(of: c) + 7) / 8
            mcusY = (frame.sampleHeight(of: c) + 7) / 8
        }
        var hs = [Int](repeating: 1, count: comps.count), vs = hs
        var strides = [Int](repeating: 0, count: comps.count)
        var planes: [UnsafeMutablePointer<Int16>] = []
        for (i, sc) in comps.enumerated() {
            let fc = frame.components[sc.frameIndex]
            if interleaved { hs[i] = fc.horizontalSampling; vs[i] = fc.verticalSampling }
            strides[i] = frame.blocksWide(of: sc.frameIndex)
            planes.append(framePlanes[sc.frameIndex])
        }
        self.hs = hs
        self.vs = vs
        self.strides = strides
        self.planes = planes
    }
}
