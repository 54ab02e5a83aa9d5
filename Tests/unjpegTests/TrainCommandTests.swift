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

    /// A folder `name` in `dir` holding one ``ppm(seed:)`` per seed (`p<seed>.ppm`).
    static func imageFolder(in dir: URL, _ name: String = "images", seeds: [Int]) throws -> URL {
        let images = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for seed in seeds { try ppm(seed: seed).write(to: images.appendingPathComponent("p\(seed).ppm")) }
        return images
    }

    @Test func priorAndHardExamplesNameThePairFilesAndTheModel() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = try Self.imageFolder(in: dir, seeds: [1, 3])
        let common = ["train", "--images", images.path, "--samples", "120", "--hidden", "8", "--steps", "3",
                      "--warmup", "1", "--batch", "16", "--threads", "1", "--prior", "1", "--keep-easy", "0.5"]
        // The first low-resolution prior (radius 1, no confidence weighting) keeps the short name.
        let legacy = try CLI.run(common + ["-o", dir.appendingPathComponent("a.unjm").path,
                                           "--work", dir.appendingPathComponent("w").path,
                                           "--prior-radius", "1", "--prior-confidence", "0"])
        #expect(legacy.status == 0, "\(legacy.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(files.contains { $0.hasPrefix("train-q85-420-w24-n120-s1-p1l-e0.5-i") && $0.hasSuffix(".pairs") }, "\(files)")
        #expect(files.contains("checkpoint.unjc"))
        let a = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("a.unjm")))))
        #expect(a.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(radius: 1, epsilon: 1, iterations: 1, confidence: nil))
        #expect(a.pipeline.stage(GuidedChromaStage.self)?.options == GuidedChroma.Options(iterations: 2, slack: -1))
        #expect(a.pipeline.stage(LumaSmoothingStage.self)?.options == QuantSmooth.Options(iterations: 2))
        // Other prior parameters get their own pair file, and the model records them.
        let current = try CLI.run(common + ["-o", dir.appendingPathComponent("b.unjm").path,
                                            "--work", dir.appendingPathComponent("w").path,
                                            "--luma-smoothing", "0", "--chroma-guidance", "1"])
        #expect(current.status == 0, "\(current.stderr)")
        let more = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(more.contains { $0.hasPrefix("train-q85-420-w24-n120-s1-p1lr2e1.0c1.0-e0.5-i") }, "\(more)")
        let b = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("b.unjm")))))
        #expect(b.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(iterations: 1))
        #expect(b.pipeline.stage(GuidedChromaStage.self)?.options == GuidedChroma.Options(iterations: 1, slack: -1))
        #expect(b.pipeline.stage(LumaSmoothingStage.self)?.options == nil)
        // A prior that falls back where its model fits badly makes other pairs again.
        let fallback = try CLI.run(common + ["-o", dir.appendingPathComponent("f.unjm").path,
                                             "--work", dir.appendingPathComponent("w").path, "--prior-fallback", "32"])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        let third = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(third.contains { $0.hasPrefix("train-q85-420-w24-n120-s1-p1lr2e1.0c1.0f32.0-e0.5-i") }, "\(third)")
        let f = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("f.unjm")))))
        #expect(f.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(iterations: 1, fallback: 32))
        // A bad share is a usage error.
        let bad = try CLI.run(["train", "--images", images.path, "-o", dir.appendingPathComponent("c.unjm").path, "--keep-easy", "0"])
        #expect(bad.status == 64)
    }

    /// A late network: its pairs are named by the classical stages they were made with (other
    /// settings of those stages, other pairs), and its model file says where it runs.
    @Test func aLateNetworksPairsAreKeyedByTheClassicalStages() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = try Self.imageFolder(in: dir, seeds: [2])
        let common = ["train", "--images", images.path, "--samples", "60", "--hidden", "8", "--steps", "2",
                      "--warmup", "1", "--batch", "16", "--threads", "1", "--network-place", "late",
                      "--work", dir.appendingPathComponent("w").path]
        let first = try CLI.run(common + ["-o", dir.appendingPathComponent("a.unjm").path])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run(common + ["-o", dir.appendingPathComponent("b.unjm").path, "--chroma-smoothing", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        // Stages after the network do not change the pairs: no third file.
        let third = try CLI.run(common + ["-o", dir.appendingPathComponent("c.unjm").path, "--palette", "2"])
        #expect(third.status == 0, "\(third.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        let late = files.filter { $0.hasPrefix("train-q85-420-w24-n60-s1-late") && $0.hasSuffix(".pairs") }
        #expect(late.count == 2, "\(files)")
        let a = try CleaningModel(network: ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("a.unjm")))))
        #expect(a.pipeline.stage(NetworkStage.self)?.placement == .late)
        #expect(a.pipeline.names.firstIndex(of: "network") == a.pipeline.names.firstIndex(of: "guided_chroma").map { $0 + 1 })
    }

    /// Issue 14 item 12: pairs are keyed by the images too, a resumed run keeps the pairs of its
    /// checkpoint, and a --steps shorter than the warm-up says so.
    @Test func pairsBelongToTheirImagesAndResumeKeepsThem() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (folder, seeds) in [("A", [1, 3]), ("B", [5, 7])] { _ = try Self.imageFolder(in: dir, folder, seeds: seeds) }
        let work = dir.appendingPathComponent("w")
        func train(_ folder: String, _ extra: [String] = []) throws -> CLIResult {
            try CLI.run(["train", "--images", dir.appendingPathComponent(folder).path, "-o", dir.appendingPathComponent(folder + ".unjm").path,
                         "--work", work.path, "--samples", "60", "--hidden", "4", "--steps", "20", "--batch", "8",
                         "--threads", "1", "--checkpoint-every", "5"] + extra)
        }
        let a = try train("A")
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stderr.contains("the warm-up (500 steps) is not shorter than --steps 20; it is shortened to 2 steps"))
        let b = try train("B")
        #expect(b.status == 0, "\(b.stderr)")
        let pairs = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".pairs") }
        #expect(pairs.count == 2, "B's images made their own pairs: \(pairs)")
        let modelB = try ModelFile.deserialize([UInt8](Data(contentsOf: dir.appendingPathComponent("B.unjm"))))
        let recorded = try #require(modelB.metadata["unjpeg.training.pairs"])
        #expect(pairs.contains(recorded))
        // Resuming with other data options keeps the checkpoint's pairs, and says so.
        let resumed = try train("B", ["--resume", "--seed", "9"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("note: resuming with the checkpoint's pairs '\(recorded)'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".pairs") }.count == 2)
    }

    /// `--window 32 --core 16`: a network that predicts four blocks per window, named in the
    /// pairs and recorded in the model (which `clean` then cuts its windows by); bad shapes are
    /// usage errors.
    @Test func windowAndCoreShapeTheNetwork() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = try Self.imageFolder(in: dir, seeds: [4])
        let model = dir.appendingPathComponent("m.unjm").path
        let common = ["train", "--images", images.path, "-o", model, "--work", dir.appendingPathComponent("w").path,
                      "--samples", "40", "--hidden", "4", "--steps", "2", "--warmup", "1", "--batch", "8", "--threads", "1"]
        let run = try CLI.run(common + ["--window", "32", "--core", "16"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("w").path)
        #expect(files.contains { $0.hasPrefix("train-q85-420-w32c16-n40-s1-i") }, "\(files)")
        let network = try ModelFile.deserialize([UInt8](Data(contentsOf: URL(fileURLWithPath: model))))
        #expect(network.layerSizes == [32 * 32 * 3, 4, 16 * 16 * 3])
        let stage = try #require(try CleaningModel(network: network).pipeline.stage(NetworkStage.self))
        #expect(stage.geometry == WindowGeometry(windowSize: 32, coreSize: 16, stride: 16))
        for bad in [["--core", "12"], ["--window", "24", "--core", "32"], ["--window", "31", "--core", "16"], ["--window", "72"]] {
            let refused = try CLI.run(common + bad)
            #expect(refused.status == 64, "\(bad): \(refused.stderr)")
        }
    }
}
