// libFuzzer target: the JPEG decoder (compiled into the JPEGCodec module by Fuzz/run.sh).
// Every input must decode to a consistent picture or throw a JPEGError; a trap, an
// out-of-bounds access (ASan) or a leak is a finding.

/// A pixel limit small enough that no input can ask libFuzzer's malloc limit for more.
let fuzzMaxPixels = 1 << 22

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Both decoding paths: coefficients kept (planes, then render) for inputs of even length,
    // streamed band by band (for callers that want only pixels) for odd lengths.
    let options = JPEGDecodingOptions(maxPixels: fuzzMaxPixels, keepCoefficients: size % 2 == 0)
    do throws(JPEGError) {
        let decoded = try JPEGDecoder.decode(bytes, options: options)
        let image = decoded.image
        precondition(image.pixels.count == image.width * image.height * image.channels,
                     "decoded pixel count disagrees with the image size")
    } catch {
        _ = error.description
    }
    _ = try? JPEGDecoder.inspect(bytes, options: options)
    return 0
}
