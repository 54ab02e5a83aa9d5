/// libjpeg's box-filter chroma downsampling (jcsample.c), bit-exact.
///
/// The input rows have already been padded on the right by replicating the last image
/// column (libjpeg's `expand_right_edge`), to twice the output width.
///
/// - `h2v1` (4:2:2): `out = (a + b + bias) >> 1` with bias 0, 1, 0, 1, … along the row,
///   so that halves round alternately down and up.
/// - `h2v2` (4:2:0): `out = (a + b + c + d + bias) >> 2` with bias 1, 2, 1, 2, …
///
/// The bias restarts at every output row.
enum EncoderDownsampler {
    /// 2:1 horizontal averaging of one row into `outputCount` samples.
    @inline(__always)
    static func h2v1(_ input: UnsafePointer<UInt8>, outputCount: Int,
                     into output: UnsafeMutablePointer<UInt8>) {
        for x in 0..<outputCount {
            let bias = UInt16(x & 1)
            output[x] = UInt8(truncatingIfNeeded:
                (UInt16(input[2 * x]) &+ UInt16(input[2 * x + 1]) &+ bias) &>> 1)
        }
    }

    /// 2×2 averaging of two rows into `outputCount` samples.
    @inline(__always)
    static func h2v2(_ row0: UnsafePointer<UInt8>, _ row1: UnsafePointer<UInt8>,
                     outputCount: Int, into output: UnsafeMutablePointer<UInt8>) {
        for x in 0..<outputCount {
            let bias = UInt16(1 + (x & 1))
            let sum = UInt16(row0[2 * x]) &+ UInt16(row0[2 * x + 1])
                &+ UInt16(row1[2 * x]) &+ UInt16(row1[2 * x + 1])
            output[x] = UInt8(truncatingIfNeeded: (sum &+ bias) &>> 2)
        }
    }
}
