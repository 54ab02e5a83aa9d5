/// A parsed scan header.
struct ScanHeader: Sendable {
    /// Components in scan order.
    var components: [ScanComponent]
    /// Spectral selection start Ss, end Se and successive approximation Ah, Al.
    var ss: Int, se: Int, ah: Int, al: Int
    /// File offset of the SOS marker.
    var offset: Int

    /// Parses an SOS body against `frame`, with libjpeg's checks (jdmarker.c `get_sos`).
    static func parse(body: ArraySlice<UInt8>, frame: FrameHeader, offset: Int) throws(JPEGError) -> ScanHeader {
        let b = Array(body)
        guard let n = b.first.map(Int.init), b.count == 1 + 2 * n + 3, (1...4).contains(n) else {
            throw .invalidSegmentLength(marker: 0xDA, length: b.count + 2, offset: offset)
        }
        var comps: [ScanComponent] = []
        for i in 0..<n {
            let id = Int(b[1 + 2 * i])
            guard let index = frame.components.firstIndex(where: { $0.id == id }) else {
                throw .invalidScan(offset: offset, reason: "component id \(id) is not in the frame")
            }
            if comps.contains(where: { $0.frameIndex == index }) {
                throw .invalidScan(offset: offset, reason: "component id \(id) appears twice")
            }
            let t = b[2 + 2 * i]
            let td = Int(t >> 4), ta = Int(t & 15)
            // Selectors are checked where a table is used (libjpeg checks them when it builds
            // the tables a scan needs: a DC refinement scan uses none).
            comps.append(ScanComponent(frameIndex: index, dcTable: td, acTable: ta))
        }
        let ss = Int(b[1 + 2 * n]), se = Int(b[2 + 2 * n])
        let ah = Int(b[3 + 2 * n] >> 4), al = Int(b[3 + 2 * n] & 15)
        return ScanHeader(components: comps, ss: ss, se: se, ah: ah, al: al, offset: offset)
    }
}
