import Foundation
import Cleaner
import Net

/// Finds and loads cleaning models. Without `--model`, the default model is looked up
/// beside the executable (`unjpeg-default.unjm`, for a binary copied elsewhere with its
/// model), then in `Models/default.unjm` of the source tree the tool was built from.
enum ModelLocator {
    static let defaultFileName = "unjpeg-default.unjm"

    static func candidates() -> [String] {
        var list: [String] = []
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        list.append(folder.appendingPathComponent(defaultFileName).path)
        list.append(folder.appendingPathComponent("../share/unjpeg/default.unjm").standardized.path)
        // The source tree this binary was built from (swift run, .build/…/unjpeg).
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        list.append(sourceRoot.appendingPathComponent("Models/default.unjm").path)
        return list
    }

    /// Loads the model at `path`, or the default one when nil.
    static func load(_ path: String?) throws -> CleaningModel {
        let resolved: String
        if let path {
            resolved = path
        } else {
            guard let found = candidates().first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw RuntimeError("No default model found (looked for \(candidates().map { "'\($0)'" }.joined(separator: ", "))). Pass one with --model.")
            }
            resolved = found
        }
        let bytes = try FileIO.read(resolved)
        do {
            return try CleaningModel(network: try ModelFile.deserialize(bytes))
        } catch {
            throw RuntimeError("\(resolved): \(error)")
        }
    }
}
