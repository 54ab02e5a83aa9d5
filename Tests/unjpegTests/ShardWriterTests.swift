import Testing
import Foundation
@testable import unjpeg

/// The training-pair writer: the file appears whole under its name or not at all.
@Suite struct ShardWriterTests {
    @Test func partialFileIsRenamedOnFinishAndRemovedWhenAbandoned() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let done = folder.appendingPathComponent("done.pairs").path
        let abandoned = folder.appendingPathComponent("abandoned.pairs").path
        do {
            let writer = try PairShardWriter(path: done, windowSize: 2, targetSize: 1, channels: 1)
            try writer.append([UInt8](repeating: 7, count: writer.header.recordBytes * 3), count: 3)
            #expect(FileManager.default.fileExists(atPath: done + ".partial"))
            #expect(!FileManager.default.fileExists(atPath: done))
            try writer.finish()
        }
        do {
            let writer = try PairShardWriter(path: abandoned, windowSize: 2, targetSize: 1, channels: 1)
            try writer.append([UInt8](repeating: 1, count: writer.header.recordBytes), count: 1)
            #expect(FileManager.default.fileExists(atPath: abandoned + ".partial"))
            // Dropped without finish(), as when pair generation throws.
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["done.pairs"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: done)))
        let header = try bytes.withUnsafeBytes { try PairShardHeader.decode($0, path: done) }
        #expect(header.count == 3)
    }
}
