import Cleaner
import JPEGCodec

/// Folders of clean training images.
enum TrainingImages {
    /// The PNG, PPM and JPEG files of `folder`, sorted by name.
    static func list(_ folder: String) throws -> [String] {
        guard FileSystem.isDirectory(folder) else {
            throw RuntimeError("'\(folder)' is not a folder.")
        }
        let names = try FileSystem.list(folder)
            .filter { ["png", "ppm", "jpg", "jpeg"].contains(OSPath.pathExtension($0)) }
        guard !names.isEmpty else { throw RuntimeError("'\(folder)' holds no PNG, PPM or JPEG images.") }
        return names.map { OSPath.join(folder, $0) }
    }

    /// A clean image as RGB (gray expanded).
    static func load(_ path: String) throws -> RasterImage {
        var image = try ImageFile.load(path, maxPixels: 512_000_000).image
        if image.channels == 1 {
            image = RasterImage(width: image.width, height: image.height, channels: 3,
                                pixels: image.pixels.flatMap { [$0, $0, $0] })
        }
        return image
    }
}

/// The on-disk side of pair generation: loads the images, runs ``PairGenerator`` (the
/// library makes the records) into a ``PairShardWriter``, and shows progress.
enum PairFiles {
    static func generate(images paths: [String], count: Int, passes: Int, degradation: Degradation,
                         geometry: WindowGeometry, pipeline: Pipeline, seed: UInt64, augment: Bool,
                         to path: String, label: String, keepEasy: Float = 1, errorWeightFloor: Double? = nil,
                         mix: DegradationMix? = nil, quantizationInputs: Bool = false, threads: Int = 1) throws {
        let images = try paths.map(TrainingImages.load)
        var generator = PairGenerator(images: images, count: count, passes: passes, degradation: degradation,
                                      geometry: geometry, pipeline: pipeline, seed: seed, augment: augment,
                                      keepEasy: keepEasy, mix: mix, quantizationInputs: quantizationInputs,
                                      threads: threads)
        if let errorWeightFloor {
            // Measured with `degradation` (a mix's base quality and first sampling): a weight per
            // image, not per draw, so the images' shares stay fixed across the passes.
            generator.imageWeights = try PairGenerator.inverseErrorWeights(images: images, degradation: degradation,
                                                                           floor: errorWeightFloor, threads: threads)
        }
        let writer = try PairShardWriter(path: path, windowSize: geometry.windowSize,
                                         targetSize: geometry.coreSize, channels: 3,
                                         sideBytes: generator.format.sideBytes)
        let progress = ProgressBar(label: label, total: count)
        try generator.generate(emit: { records, n in try writer.append(records, count: n) },
                               progress: { progress.update($0) })
        try writer.finish()
        progress.finish()
    }

    /// A short digest of the image files (names, sizes, modification times): pair files made
    /// from other images, or from changed ones, get other names and are never reused by mistake.
    static func digest(of paths: [String]) -> String {
        fnv1a(paths.sorted().map { path in
            let status = FileSystem.status(path)
            return OSPath.encode(OSPath.lastComponent(path)) + [0]
                + Array("\(status?.size ?? -1):\(status?.modified ?? -1)".utf8) + [0]
        })
    }

    /// A short digest of the recipe of the stages before the network (their metadata): a late
    /// network's pairs depend on every classical stage's settings, so other settings get other
    /// pair files.
    static func digest(ofStagesBeforeNetworkIn pipeline: Pipeline) -> String {
        var parts: [[UInt8]] = []
        for stage in pipeline.stages {
            if stage is NetworkStage { break }
            for (key, value) in stage.metadata().sorted(by: { $0.key < $1.key }) { parts.append(Array("\(key)=\(value)".utf8) + [0]) }
        }
        return fnv1a(parts)
    }

    /// 64-bit FNV-1a over `parts` in order, as 16 hex digits.
    private static func fnv1a(_ parts: [[UInt8]]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts { for b in part { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 } }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
