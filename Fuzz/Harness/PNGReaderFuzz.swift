// libFuzzer target: the PNG reader (compiled into the PNGReader module by Fuzz/run.sh).
// Decoded twice: with CRC checks off (so mutations reach the chunk parsers and inflate)
// and on. Every input must give a consistent image or a PNGError.

let fuzzMaxPixels = 1 << 22

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for checkCRC in [false, true] {
        do throws(PNGError) {
            let image = try PNGDecoder(maxPixels: fuzzMaxPixels, checkCRC: checkCRC).decode(bytes)
            let rgb = image.rgb8(), rgba = image.rgba8()
            precondition(rgb.count == image.width * image.height * 3, "rgb8 size")
            precondition(rgba.count == image.width * image.height * 4, "rgba8 size")
        } catch {
            _ = "\(error)"
        }
    }
    return 0
}
