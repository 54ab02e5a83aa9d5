// swift-tools-version:6.0
//
// UnJPEG: a JPEG artifact remover in pure Swift. No package dependencies.
//
// Target CPU: SIMD code (SIMD16<Float> fused multiply-adds in Linalg) only becomes vector
// FMA instructions when the compiler may target the build machine's CPU; without it each
// lane is a scalar `fmaf` call. By default on x86-64 every target is compiled with
// `-target-cpu native`. Set UNJPEG_TARGET_CPU to choose another CPU (e.g. `haswell` for a
// binary that runs on any AVX2 machine, `znver4`) or `generic` to pass no flag at all
// (a baseline x86-64 build that runs anywhere, with slow SIMD FMAs). On arm64 no flag is
// needed by default: FMA is part of the baseline architecture there.
import PackageDescription
import Foundation

let targetCPU: String? = {
    if let value = ProcessInfo.processInfo.environment["UNJPEG_TARGET_CPU"], !value.isEmpty {
        return value == "generic" ? nil : value
    }
    #if arch(x86_64)
    return "native"
    #else
    return nil
    #endif
}()

// CPUs without AVX-512 get Linalg's SIMD8 GEMM kernel (a SIMD16 tile would spill there).
let avx512CPUs: Set<String> = ["znver4", "znver5", "skylake-avx512", "cascadelake", "cooperlake",
                               "icelake-client", "icelake-server", "tigerlake", "sapphirerapids",
                               "graniterapids", "emeraldrapids", "cannonlake", "rocketlake"]
/// For `native`: whether the build machine has AVX-512F (Linux: /proc/cpuinfo; elsewhere, or
/// when it cannot be read, assume not, which only costs GEMM speed, never correctness).
func buildMachineHasAVX512() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }
}
let portableKernel: Bool = {
    #if arch(x86_64)
    if targetCPU == "native" { return !buildMachineHasAVX512() }
    return !avx512CPUs.contains(targetCPU ?? "generic")
    #else
    return true
    #endif
}()

let package = Package(
    name: "UnJPEG",
    products: [
        .executable(name: "unjpeg", targets: ["unjpeg"]),
        .library(name: "JPEGCodec", targets: ["JPEGCodec"]),
        .library(name: "PNGWriter", targets: ["PNGWriter"]),
        .library(name: "PNGReader", targets: ["PNGReader"]),
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Net", targets: ["Net"]),
        .library(name: "Cleaner", targets: ["Cleaner"]),
    ],
    targets: [
        // Deflate, inflate and their checksums (CRC-32, Adler-32), shared at the bottom by the
        // PNG codecs and the model file format (as swift-png's LZ77 sits under its PNG module).
        .target(name: "LZ77"),
        .target(name: "JPEGCodec"),
        .target(name: "PNGWriter", dependencies: ["LZ77"]),
        .target(name: "PNGReader", dependencies: ["LZ77"]),
        .target(name: "Linalg"),
        .target(name: "Net", dependencies: ["Linalg", "LZ77"]),
        .target(name: "Cleaner", dependencies: ["JPEGCodec", "Net", "Linalg"]),
        // Release binaries carry the Swift runtime inside (as C programs carry theirs): the
        // dynamic loader then has no Swift libraries to map and relocate, about 3 ms of every
        // `clean` (Notes/throughput.md, "Twelfth round"). Debug builds (and the tests) link
        // it dynamically, as the test runner itself does.
        .executableTarget(
            name: "unjpeg",
            dependencies: ["JPEGCodec", "PNGWriter", "PNGReader", "Linalg", "Net", "Cleaner"],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]),
        // What several test targets share: the one SplitMix64 (Net's, re-exported) and the
        // paths of the repository's fixtures. A plain target, built only for the tests.
        .target(name: "TestSupport", dependencies: ["Net"], path: "Tests/TestSupport"),
        .testTarget(name: "LZ77Tests", dependencies: ["LZ77", "TestSupport"]),
        .testTarget(name: "JPEGCodecTests", dependencies: ["JPEGCodec", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "PNGWriterTests", dependencies: ["PNGWriter", "PNGReader", "TestSupport"]),
        .testTarget(name: "PNGReaderTests", dependencies: ["PNGReader", "LZ77", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "NetTests", dependencies: ["Net", "Linalg", "LZ77"]),
        .testTarget(name: "CleanerTests", dependencies: ["Cleaner", "JPEGCodec", "Net", "Linalg", "TestSupport"],
                    exclude: ["Fixtures"]),
        // Net and Cleaner: the CLI tests build a tiny model file in-process for `clean --model`.
        .testTarget(name: "unjpegTests", dependencies: ["unjpeg", "Net", "Cleaner", "PNGReader", "JPEGCodec", "TestSupport"],
                    exclude: ["Fixtures"]),
    ]
)

// One list of settings for every target, so that @inlinable SIMD code from Linalg is
// compiled with the same CPU features wherever it is specialised.
for target in package.targets {
    var settings = target.swiftSettings ?? []
    if let cpu = targetCPU {
        settings.append(.unsafeFlags(["-target-cpu", cpu]))
    }
    if portableKernel {
        settings.append(.define("LINALG_PORTABLE_KERNEL"))
    }
    target.swiftSettings = settings
    // The standard library lowers some Float operations (rounded(), squareRoot() in debug
    // builds) to libm calls; link it explicitly so every build configuration links.
    target.linkerSettings = (target.linkerSettings ?? []) + [.linkedLibrary("m", .when(platforms: [.linux]))]
}
