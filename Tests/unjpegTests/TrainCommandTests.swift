import Foundation
import Testing
import Cleaner
import Net

/// `unjpeg train` end to end on two tiny images: pair files named by how they were made, and a
/// model file that says how it is to be applied.
@Suite struct TrainCommandTests {
    /// A 48×40 RGB PPM with edges, text-like strokes and a gradient.
    static func ppm(seed: Int) -> Data {
        let w = 48, h = 40
        var bytes = Array("P6\n\(w) \(h)\n255\n".utf8)
        for y in 0..<h {
            for x in 0..<w {
                let stroke = (x + seed) % 11 < 2 || (y * 3 + seed) % 13 < 2
                let r = stroke ? 20 : 255, g = stroke ? 40 + seed * 10 : 250 - y, b = stroke ? 200 : 255 - x
                bytes += [UInt8(r), UInt8(g), UInt8(b)]
            }
        }
        return Data(bytes)
    }

    @Test func priorAndHardExamplesNameThePairFilesAndTheModel() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = dir.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try Self.ppm(seed: 1).write(to: images.appendingPathComponent("a.ppm"))
        try Self.ppm(seed: 3).write(to: images.appendingPathComponent("b.ppm"))
        let common = ["train", "--images", images.path, "--samples", "120", "--hidden", "8", "--steps", "3",
                      "--warmup", "1", "--batch", "16", "--threads", "1", "--prior", "1", "--keep-easy", "0.5"]
        // The first low-resolution prior (radius 1, no confidence weighting) keeps the short name.
        let legacy = try CLI.run(common + ["-o", dir.appendingPathComponent("a.unjm").path,
                                           "--work", dir.appendingPathComponent("w").path,
                                           "--prior-radius", "1", "--prior-confidence", "0"])
        #expect(legacy.status == 0, "\(legacy.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(files.contains("train-q85-420-w24-n120-s1-p1l-e0.5.pairs"))
        #expect(files.contains("checkpoint.unjc"))
        let a = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("a.unjm")))))
        #expect(a.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(radius: 1, epsilon: 1, iterations: 1, confidence: nil))
        #expect(a.pipeline.stage(GuidedChromaStage.self)?.options == GuidedChroma.Options(iterations: 2))
        #expect(a.pipeline.stage(LumaSmoothingStage.self)?.options == QuantSmooth.Options(iterations: 2))
        // Other prior parameters get their own pair file, and the model records them.
        let current = try CLI.run(common + ["-o", dir.appendingPathComponent("b.unjm").path,
                                            "--work", dir.appendingPathComponent("w").path,
                                            "--luma-smoothing", "0", "--chroma-guidance", "1"])
        #expect(current.status == 0, "\(current.stderr)")
        let more = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(more.contains("train-q85-420-w24-n120-s1-p1lr2e1.0c1.0-e0.5.pairs"))
        let b = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("b.unjm")))))
        #expect(b.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(iterations: 1))
        #expect(b.pipeline.stage(GuidedChromaStage.self)?.options == GuidedChroma.Options(iterations: 1))
        #expect(b.pipeline.stage(LumaSmoothingStage.self)?.options == nil)
        // A bad share is a usage error.
        let bad = try CLI.run(["train", "--images", images.path, "-o", dir.appendingPathComponent("c.unjm").path, "--keep-easy", "0"])
        #expect(bad.status == 64)
    }
}
