/// The spatial half of decoding, one MCU row ("band") at a time: inverse DCT of a band of
/// every component into a three-band ring, then upsampling and colour conversion of the
/// output rows whose context is complete.
///
/// Band k + 1 is inverse-transformed before the output rows of band k are made (the triangle
/// filters need one sample row below), so the sample planes stay small and in cache. The same
/// renderer serves the two ways of decoding: after all scans from the full coefficient planes
/// (``render(frame:components:colorSpace:)``), or while a single interleaved scan is decoded,
/// from a one-band coefficient buffer (when coefficients are not kept).
struct BandRenderer {
    let width: Int, height: Int, channels: Int
    let bands: Int
    let outputBandRows: Int
    let colorSpace: JPEGColorSpace
    var planes: [ComponentPlane] = []
    private var rings: [UnsafeMutablePointer<UInt8>] = []
    private var quants: [UnsafeMutablePointer<SIMD8<Int32>>] = []
    private let rowCapacity: Int
    private let rowBuffers: UnsafeMutablePointer<UInt8>
    private let colsum: UnsafeMutablePointer<Int32>
    /// Where output pixels go: `width · height · channels` samples.
    let output: UnsafeMutablePointer<UInt8>

    /// Prepares rings for the components of `frame` with their quantization tables.
    init(frame: FrameHeader, quantizationTables: [[UInt16]], colorSpace: JPEGColorSpace,
         output: UnsafeMutablePointer<UInt8>) {
        width = frame.width
        height = frame.height
        let n = frame.components.count
        channels = n == 1 ? 1 : 3
        bands = frame.mcuRows
        outputBandRows = 8 * frame.maxVerticalSampling
        self.colorSpace = colorSpace
        self.output = output
        for i in 0..<n {
            let stride = frame.blocksWide(of: i) * 8
            let bandRows = 8 * frame.components[i].verticalSampling
            let ring = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * bandRows * stride)
            rings.append(ring)
            planes.append(ComponentPlane(samples: ring, stride: stride, bandRows: bandRows,
                                         width: frame.sampleWidth(of: i), height: frame.sampleHeight(of: i),
                                         method: n == 1 ? .fullSize : (UpsamplingMethod.choose(frame: frame, component: i) ?? .fullSize)))
            let q = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: 8)
            q.initialize(from: InverseDCT.quantRows(quantizationTables[i]), count: 8)
            quants.append(q)
        }
        rowCapacity = width + 8 * frame.maxHorizontalSampling
        rowBuffers = .allocate(capacity: rowCapacity * max(n, 1))
        colsum = .allocate(capacity: rowCapacity)
    }

    /// Frees the rings and row buffers (not `output`).
    func deallocate() {
        for p in rings { p.deallocate() }
        for q in quants { q.deallocate() }
        rowBuffers.deallocate()
        colsum.deallocate()
    }

    /// Inverse DCT of band `k` of component `i`: `blockRows` block rows of `blocksWide`
    /// blocks starting at `coefficients` (64 values per block).
    func transformBand(_ k: Int, component i: Int, coefficients: UnsafePointer<Int16>,
                       blockRows: Int, blocksWide: Int) {
        let plane = planes[i]
        let slot = rings[i] + (k % 3) * plane.bandRows * plane.stride
        for r in 0..<min(blockRows, plane.bandRows / 8) {
            InverseDCT.transformBlockRow(coefficients + r * blocksWide * 64, quant: quants[i],
                                         blocksWide: blocksWide, output: slot + r * 8 * plane.stride,
                                         stride: plane.stride)
        }
    }

    /// Upsamples and colour-converts the output rows of band `k` (bands k − 1…k + 1 must be
    /// in the rings).
    func emitBand(_ k: Int) {
        let first = k * outputBandRows, last = min(first + outputBandRows, height)
        guard first < last else { return }
        let n = planes.count
        for y in first..<last {
            if n == 1 {
                (output + y * width).update(from: planes[0].sampleRow(y), count: width)
                continue
            }
            let r0 = planes[0].row(y, outputWidth: width, into: rowBuffers, colsum: colsum)
            let r1 = planes[1].row(y, outputWidth: width, into: rowBuffers + rowCapacity, colsum: colsum)
            let r2 = planes[2].row(y, outputWidth: width, into: rowBuffers + 2 * rowCapacity, colsum: colsum)
            let o = output + y * width * 3
            if n == 4 {
                let r3 = planes[3].row(y, outputWidth: width, into: rowBuffers + 3 * rowCapacity, colsum: colsum)
                CMYKToRGB.convertRow(r0, r1, r2, r3, count: width, ycck: colorSpace == .ycck, out: o)
            } else if colorSpace == .rgb {
                for x in 0..<width {
                    o[3 * x] = r0[x]; o[3 * x + 1] = r1[x]; o[3 * x + 2] = r2[x]
                }
            } else {
                YCbCrToRGB.convertRow(y: r0, cb: r1, cr: r2, count: width, out: o)
            }
        }
    }
}
