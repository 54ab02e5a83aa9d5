import Cleaner
import Net

/// Finds and loads cleaning models. Without `--model`, the default model is, in this order:
/// 1. `unjpeg-default.unjm` in the executable's folder (a binary copied with its model);
/// 2. `../share/unjpeg/default.unjm` from the executable's folder (an install under a prefix:
///    `/usr/local/bin/unjpeg` reads `/usr/local/share/unjpeg/default.unjm`);
/// 3. `Models/default.unjm` of the source tree, only when the executable is inside that tree's
///    `.build` folder (`swift run`), so a copied binary never silently uses a build tree's model.
enum ModelLocator {
    static let defaultFileName = "unjpeg-default.unjm"

    static func candidates() -> [String] {
        var list: [String] = []
        let executable = FileSystem.resolved("/proc/self/exe") ?? CommandLine.arguments[0]
        let folder = OSPath.parent(executable)
        list.append(OSPath.join(folder, defaultFileName))
        list.append(OSPath.join(OSPath.parent(folder), "share/unjpeg/default.unjm"))
        // #filePath is Sources/unjpeg/ModelLocator.swift in the tree this binary was built from.
        let sourceRoot = OSPath.parent(OSPath.parent(OSPath.parent(#filePath)))
        if executable.hasPrefix(OSPath.join(sourceRoot, ".build/")) {
            list.append(OSPath.join(sourceRoot, "Models/default.unjm"))
        }
        return list
    }

    /// Loads the model (one network or a family) at `path`, or the default one when nil.
    static func load(_ path: String?) throws -> ModelFamily {
        let resolved: String
        if let path {
            resolved = path
        } else {
            guard let found = candidates().first(where: { FileSystem.status($0)?.kind == .regular }) else {
                throw RuntimeError("No default model found (looked for \(candidates().map { "'\($0)'" }.joined(separator: ", "))). Install one there (see the README's Install section) or pass one with --model.")
            }
            resolved = found
        }
        let bytes = try FileIO.read(resolved)
        do {
            return try ModelFamily(networks: try ModelFile.deserializeFamily(bytes))
        } catch {
            throw RuntimeError("\(resolved): \(error)")
        }
    }
}
