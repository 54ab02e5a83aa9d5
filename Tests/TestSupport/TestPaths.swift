import Foundation

/// Where the repository's test files are, found from this source file's path (so tests run
/// from any working directory, in any worktree).
public enum TestPaths {
    /// The repository root (the folder holding `Package.swift`).
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Sources/`.
    public static let sources: URL = repository.appendingPathComponent("Sources")

    /// The fixture folder of a test target, e.g. `fixtures("JPEGCodecTests")` is
    /// `Tests/JPEGCodecTests/Fixtures`.
    public static func fixtures(_ testTarget: String) -> URL {
        repository.appendingPathComponent("Tests").appendingPathComponent(testTarget)
            .appendingPathComponent("Fixtures")
    }

    /// The bytes of the file at `url`.
    public static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }
}
