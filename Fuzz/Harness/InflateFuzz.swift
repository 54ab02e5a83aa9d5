// libFuzzer target: zlib inflate (compiled into the PNGReader module by Fuzz/run.sh).
import Foundation
// The output limit must hold: no input may produce more than `limit` bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // The limit comes from the first byte, so small limits are exercised too.
    let limit = bytes.isEmpty ? 0 : (Int(bytes[0]) << 12)
    do throws(PNGError) {
        let out = try Inflate.zlibDecompress(Array(bytes.dropFirst()), limit: limit)
        precondition(out.count <= limit, "inflate exceeded its limit")
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// With UNJPEG_FUZZ_SEEDS=<folder> and UNJPEG_FUZZ_PNGS=<folder of PNGs>, writes the zlib
/// stream of every PNG's IDAT chunks (after a limit byte) there as seeds.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInflateInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                                  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    guard let folder = environment["UNJPEG_FUZZ_SEEDS"], let pngs = environment["UNJPEG_FUZZ_PNGS"],
          let names = try? FileManager.default.contentsOfDirectory(atPath: pngs) else { return 0 }
    for name in names where name.hasSuffix(".png") {
        guard let data = FileManager.default.contents(atPath: pngs + "/" + name) else { continue }
        let b = [UInt8](data)
        var stream: [UInt8] = [0xFF]
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length <= b.count - i - 12 else { break }
            if b[(i + 4)..<(i + 8)].elementsEqual("IDAT".utf8) { stream += b[(i + 8)..<(i + 8 + length)] }
            i += 12 + length
        }
        if stream.count > 1 {
            _ = FileManager.default.createFile(atPath: folder + "/" + name + ".zlib", contents: Data(stream))
        }
    }
    return 0
}
