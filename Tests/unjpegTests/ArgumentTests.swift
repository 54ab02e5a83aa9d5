import Testing
import Foundation

@Suite struct ArgumentTests {
    @Test func toolHelpListsSubcommandsAndExitsZero() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: "))
        #expect(result.stdout.contains("SUBCOMMANDS:"))
        #expect(result.stdout.contains("  bench gemm"))
        #expect(result.stdout.contains("See 'unjpeg help <subcommand>' for detailed help."))
    }

    @Test func subcommandHelpHasTheStandardSections() throws {
        let result = try CLI.run(["bench", "gemm", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: unjpeg bench gemm [<options>]"))
        #expect(result.stdout.contains("OPTIONS:"))
        #expect(result.stdout.contains("  -h, --help"))
        #expect(result.stdout.contains("(default: 1,2)"))
        let viaHelp = try CLI.run(["help", "bench", "gemm"])
        #expect(viaHelp.stdout == result.stdout)
    }

    @Test func benchGEMMNamesTheKernelThatRan() throws {
        let arguments = ["bench", "gemm", "--shapes", "NN:8:8:16", "--threads", "1", "--trials", "1",
                         "--min-time", "0", "--json"]
        let automatic = try CLI.run(arguments)
        #expect(automatic.status == 0)
        #expect(automatic.stdout.contains("\"kernel\": \"wide 8x48\"") || automatic.stdout.contains("\"kernel\": \"portable 6x16\""),
                "\(automatic.stdout)")
        for (name, shown) in [("portable", "portable 6x16"), ("wide", "wide 8x48")] {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["UNJPEG_GEMM_KERNEL": name]) { $1 }
            let pinned = try CLI.capture(process, stdin: nil)
            #expect(pinned.status == 0)
            #expect(pinned.stdout.contains("\"kernel\": \"\(shown)\""), "\(pinned.stdout)")
        }
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try CLI.run(["frobnicate"])
        #expect(result.status == 64)
        #expect(result.stderr == "Error: Unknown subcommand 'frobnicate'.\nUsage: unjpeg <subcommand>\n  See 'unjpeg --help' for more information.\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func badOptionsAreUsageErrors() throws {
        let unknown = try CLI.run(["bench", "gemm", "--frob"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("Error: Unknown option '--frob'.\nUsage: unjpeg bench gemm "))
        let missing = try CLI.run(["bench", "gemm", "--trials"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("Error: Missing value for '--trials <n>'."))
        let invalid = try CLI.run(["bench", "gemm", "--trials", "zero"])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.hasPrefix("Error: The value 'zero' is invalid for '--trials': expected an integer in 1…1000."))
        let shape = try CLI.run(["bench", "gemm", "--shapes", "NN:0:1:1"])
        #expect(shape.status == 64)
        #expect(shape.stderr.contains("The shape 'NN:0:1:1' is invalid"))
    }

    @Test func benchGemmPrintsJSONLines() throws {
        let result = try CLI.run(["bench", "gemm", "--shapes", "NT:3:5:7", "--threads", "1",
                                  "--trials", "1", "--min-time", "0", "--json"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["shape"] as? String == "NT:3:5:7")
        #expect(object?["threads"] as? Int == 1)
        #expect((object?["gflops"] as? Double ?? 0) > 0)
    }
}

/// `bench clean` gives each stage's share of the pipeline and the PNG encoding, per thread
/// count (issue 18 items 1 and 4).
@Suite struct BenchCleanTests {
    @Test func stageSharesAddUpToTheWholeRunWithThePNG() throws {
        let folder = try ShellSafetyTests.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["bench", "clean", folder.appendingPathComponent("a.jpg").path, "--model",
                                  folder.appendingPathComponent("tiny.unjm").path, "--threads", "1,2", "--trials", "1",
                                  "--min-time", "0", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        for (line, threads) in zip(lines.suffix(2), [1, 2]) {
            let shares = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(shares["what"] as? String == "stage shares, \(threads) thread\(threads == 1 ? "" : "s")")
            let percents = shares.filter { $0.key.hasSuffix("_pct") }
            #expect(Set(percents.keys) == ["network_pct", "projection_pct", "rounding_pct", "png_pct"])
            #expect((percents["png_pct"] as? Double ?? 0) > 0)
            let sum = percents.values.compactMap { $0 as? Double }.reduce(0, +)
            #expect(abs(sum - 100) < 0.01)
            #expect((shares["s_per_mp"] as? Double ?? 0) > 0)
        }
    }
}
