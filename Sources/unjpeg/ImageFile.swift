import JPEGCodec
import PNGReader
import PNGWriter
import Linalg

/// The image formats the tool reads and writes, recognised by content (reading) or by
/// the output path's extension (writing).
enum ImageFormat: String {
    case jpeg, png, pnm

    /// The format of a file from its first bytes, or nil when unknown.
    static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 { return .jpeg }
        if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6") { return .pnm }
        return nil
    }

    /// The format an output path asks for: `.ppm`/`.pgm`/`.pnm` → PNM, `.jpg`/`.jpeg` → JPEG,
    /// `.png`, no extension, `-`, a device or pipe, or a descriptor path → PNG; nil for any
    /// other extension (`.webp`, `.gif`…), which the tool cannot write.
    static func forOutput(_ path: String) -> ImageFormat? {
        if path == "-" || FileIO.directDescriptor(path) != nil { return .png }
        if let status = FileSystem.status(path), status.kind == .other { return .png }
        switch OSPath.pathExtension(path) {
        case "ppm", "pgm", "pnm": return .pnm
        case "jpg", "jpeg": return .jpeg
        case "png", "": return .png
        default: return nil
        }
    }
}

/// A decoded input: its pixels (gray or RGB), and what the output should carry over.
struct LoadedImage {
    var image: RasterImage
    var iccProfile: [UInt8]?
    /// The JPEG decode with coefficients when the input was a JPEG.
    var jpeg: DecodedJPEG?
    /// How messages name the input.
    var name: String = ""

    /// What the output PNG carries over: the ICC profile, and for a JPEG its EXIF, XMP and
    /// pixel density — with the orientation reset to 1 when `orientationApplied` (the pixels
    /// were turned), so that no viewer turns them again.
    func carried(orientationApplied: Bool) -> CarriedMetadata {
        var metadata = jpeg?.metadata ?? JPEGMetadata()
        if orientationApplied, let jpeg { metadata = metadata.afterApplyingOrientation(jpeg.orientation) }
        return CarriedMetadata(name: name, iccProfile: iccProfile, metadata: metadata)
    }
}

/// The metadata an output PNG carries, and the input it came from (for warnings).
struct CarriedMetadata {
    var name: String
    var iccProfile: [UInt8]?
    var metadata: JPEGMetadata
}

/// Reading and writing image files for the CLI, with errors that name the file.
enum ImageFile {
    /// Decodes `bytes` (JPEG, PNG or binary PPM/PGM) read from `name`.
    /// PNG alpha is composited over white; 16-bit samples are rounded to 8 bits.
    /// With `cleaning`, the memory the cleaner needs on top of the decode is checked against
    /// `maxMemory` too, from the header, before decoding.
    static func decode(_ bytes: [UInt8], name: String, maxPixels: Int, maxMemory: Int = 1 << 30,
                       strict: Bool = false, cleaning: Bool = false) throws -> LoadedImage {
        switch ImageFormat.sniff(bytes) {
        case .jpeg:
            do {
                let options = JPEGDecodingOptions(maxPixels: maxPixels, maxMemory: maxMemory, strict: strict)
                if cleaning {
                    let info = try JPEGDecoder.inspect(bytes, options: options)
                    let needed = info.decodingMemory().total + bytes.count + cleanerBytesPerPixel * info.width * info.height
                    guard needed <= maxMemory else {
                        throw RuntimeError("cleaning this \(info.width)×\(info.height) image needs about \(needed >> 20) MiB, more than the memory limit of \(maxMemory >> 20) MiB; raise the limit with --max-memory to clean it.")
                    }
                }
                let decoded = try JPEGDecoder.decode(bytes, options: options)
                for warning in decoded.warnings {
                    Terminal.writeError("Warning: \(name): \(warning)\n")
                }
                for issue in decoded.metadata.issues {
                    Terminal.writeError("Warning: \(name): \(issue)\n")
                }
                return LoadedImage(image: decoded.image, iccProfile: decoded.iccProfile, jpeg: decoded, name: name)
            } catch {
                throw RuntimeError("\(name): \(error)")
            }
        case .png:
            do {
                let png = try PNGDecoder(maxPixels: maxPixels, maxMemory: maxMemory).decode(bytes)
                let image = RasterImage(width: png.width, height: png.height, channels: 3, pixels: png.rgb8())
                return LoadedImage(image: image, iccProfile: png.iccProfile?.data, jpeg: nil, name: name)
            } catch {
                throw RuntimeError("\(name): \(error)")
            }
        case .pnm:
            return LoadedImage(image: try PNM.decode(bytes, name: name, maxPixels: maxPixels), iccProfile: nil, jpeg: nil, name: name)
        case nil:
            throw RuntimeError("\(name): not a JPEG, PNG or binary PPM/PGM file (unknown first bytes).")
        }
    }

    /// How messages name the input `path`.
    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// Reads and decodes the file at `path` (`-`: standard input).
    static func load(_ path: String, maxPixels: Int, maxMemory: Int = 1 << 30, strict: Bool = false,
                     cleaning: Bool = false) throws -> LoadedImage {
        try decode(try FileIO.read(path), name: displayName(path), maxPixels: maxPixels, maxMemory: maxMemory,
                   strict: strict, cleaning: cleaning)
    }

    /// Bytes per pixel the cleaning pipeline holds at its peak beyond the decode (float
    /// estimates, component planes, the decode's planes, the overlap accumulator, the PNG):
    /// measured as peak RSS minus the decode's on a 4000×3000 photo (794 MB − 138 MB = 55 B/px), rounded up
    /// (Notes/hardening.md). Later stages had grown it to 65 B/px (922 MB on the 12 MP mosaic);
    /// since the nineteenth round (no full copies of the estimate, bins worked out per block) it
    /// is 629 MB − 138 MB = 41 B/px on one thread, up to 840 MB − 138 MB = 59 B/px on two
    /// (`Notes/throughput.md`).
    static let cleanerBytesPerPixel = 64

    /// The PNG encoder's band runner for `threads` threads (the bytes do not depend on it).
    static func bandRunner(threads: Int) -> PNGBandRunner {
        { count, body in parallelForEach(count, threads: threads, body) }
    }

    /// Encodes `image` as PNG (with the carried metadata when given: ICC profile, EXIF, XMP,
    /// density; what a PNG reader would refuse, such as an ICC profile over 1 MiB, is left out
    /// with a warning) or PNM. The PNG's bands run on `threads` threads; its bytes do not
    /// depend on how many. `level`: how hard the PNG's deflate searches.
    static func encode(_ image: RasterImage, format: ImageFormat, carrying carried: CarriedMetadata? = nil,
                       threads: Int = 1, level: CompressionLevel = .default) throws -> [UInt8] {
        switch format {
        case .png:
            var encoder = PNGEncoder(level: level)
            if let carried {
                if let icc = carried.iccProfile { encoder.iccProfile = ICCProfile(data: icc) }
                encoder.exif = carried.metadata.exif
                encoder.xmp = carried.metadata.xmp
                if let density = carried.metadata.density {
                    let p = density.pixelsPerUnit
                    encoder.physicalDimensions = PhysicalDimensions(pixelsPerUnitX: p.x, pixelsPerUnitY: p.y,
                                                                    unitIsMetre: p.unitIsMetre)
                }
                for problem in encoder.dropUnwritableMetadata() {
                    Terminal.writeError("Warning: \(carried.name): \(problem) It was left out of the PNG.\n")
                }
            }
            return try encoder.encode(image.pixels, width: image.width, height: image.height,
                                      format: image.channels == 1 ? .gray8 : .rgb8, runBands: bandRunner(threads: threads))
        case .pnm:
            return PNM.encode(image)
        case .jpeg:
            throw RuntimeError("Writing JPEG is what 'unjpeg compress' does; choose a .png or .ppm output.")
        }
    }
}
