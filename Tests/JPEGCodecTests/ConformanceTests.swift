import Foundation
import Testing
@testable import JPEGCodec

/// Public conformance JPEGs (libjpeg-turbo, image-rs/jpeg-decoder, Go; see
/// `Fixtures/conformance/LICENSES.md`) against Pillow's decodes, with the rules of
/// `../shared/conformance/README.md`:
/// - `exact` SOF0/SOF1/SOF2 rows: pixel-identical (gray, RGB, and CMYK/YCCK converted to RGB
///   as Pillow does), also the damaged ones libjpeg recovers with a warning;
/// - `unsupported` rows: ``JPEGError/unsupported(feature:offset:)``;
/// - `error` rows (Pillow refuses them, often for damage libjpeg itself recovers from): some
///   ``JPEGError`` in strict mode, anything but a crash otherwise;
/// - ``knownRecoveryDifferences``: anything but a crash.
@Suite struct ConformanceTests {
    enum Outcome: Equatable { case pixels, unsupported, anyError, noCrash }

    /// Damaged files whose libjpeg recovery we do not reproduce exactly yet (they decode,
    /// with warnings, but some pixels differ from Pillow's). Two of them also differ between
    /// libjpeg-turbo versions (`../shared/conformance/README.md`: 8e5e74db…, f6b4389c…).
    static let knownRecoveryDifferences: Set<String> = [
        "jpeg-decoder/crashtest/dc-predictor-overflow.jpg",
        "jpeg-decoder/crashtest/subtract-with-overflow.jpg",
        "jpeg-decoder/crashtest/imagetestsuite/8e5e74dbf9b68a322fbb9512db837329.jpg",
        "jpeg-decoder/crashtest/imagetestsuite/b55977028a3a574336966b6536640fc9.jpg",
        "jpeg-decoder/crashtest/imagetestsuite/f6b4389c3cf0f5997b2e5a4b905aea8d.jpg",
        // CMYK with Adobe transform 199 and a segment cut by the end of the file.
        "jpeg-decoder/crashtest/imagetestsuite/5482a54657765056f1a94116a8dbffe7.jpg",
    ]

    static func expectation(_ row: [String: String]) -> Outcome {
        if knownRecoveryDifferences.contains(row["file"] ?? "") { return .noCrash }
        switch row["expected"] {
        case "unsupported": return .unsupported
        case "error": return .anyError
        case "exact": return .pixels
        default: return .noCrash
        }
    }

    /// Checks one file; returns a failure description or nil.
    static func check(_ row: [String: String], folder: URL) throws -> String? {
        let file = row["file"] ?? ""
        let url = folder.appendingPathComponent(file)
        let bytes = try Fixtures.bytes(url)
        let outcome = expectation(row)
        let result: Result<DecodedJPEG, JPEGError>
        do throws(JPEGError) { result = .success(try JPEGDecoder.decode(bytes)) } catch { result = .failure(error) }
        switch (outcome, result) {
        case (.noCrash, _):
            return nil
        case (.pixels, .success(let decoded)):
            // References live with the committed copies (also for files too big to copy).
            let base = Fixtures.root.appendingPathComponent("conformance").appendingPathComponent(file).deletingPathExtension()
            guard let reference = try Reference.load(base: base) else {
                return "\(file): no reference next to it"
            }
            if let problem = reference.mismatch(decoded.image) { return "\(file): \(problem)" }
            // The one-pass path (coefficients not kept) must agree.
            let streamed: DecodedJPEG
            do throws(JPEGError) {
                streamed = try JPEGDecoder.decode(bytes, options: JPEGDecodingOptions(keepCoefficients: false))
            } catch {
                return "\(file): one-pass decode failed: \(error)"
            }
            return streamed.image == decoded.image ? nil : "\(file): one-pass decode differs"
        case (.pixels, .failure(let error)):
            return "\(file): expected pixels, got error \(error)"
        case (.unsupported, .failure(.unsupported)):
            return nil
        case (.unsupported, let other):
            return "\(file): expected an unsupported error, got \(other)"
        case (.anyError, _):
            do throws(JPEGError) {
                _ = try JPEGDecoder.decode(bytes, options: JPEGDecodingOptions(strict: true))
                return "\(file): expected an error in strict mode, but it decoded"
            } catch {
                return nil
            }
        }
    }

    static let committed: [[String: String]] =
        (try? Fixtures.tsv(Fixtures.root.appendingPathComponent("conformance/MANIFEST.tsv"))) ?? []

    @Test func committedCopiesCoverTheExactFiles() {
        let exact = ConformanceTests.committed.filter { ConformanceTests.expectation($0) == .pixels }
        #expect(exact.count >= 70)
        #expect(ConformanceTests.committed.count >= 150)
    }

    @Test(arguments: ConformanceTests.committed.map { $0["file"] ?? "" })
    func committedFile(_ file: String) throws {
        let row = try #require(ConformanceTests.committed.first { $0["file"] == file })
        let problem = try ConformanceTests.check(row, folder: Fixtures.root.appendingPathComponent("conformance"))
        #expect(problem == nil, "\(problem ?? "")")
    }

    /// The files of `../shared/conformance/jpeg` that are not committed (the big ones), when
    /// that folder exists (it is not part of the repository); the committed copies are
    /// checked by ``committedFile(_:)``, so together all 202 are.
    @Test func sharedSuite() throws {
        guard let folder = Fixtures.sharedConformance else {
            print("note: ../shared/conformance/jpeg not found; only the committed copies were tested")
            return
        }
        let rows = try Fixtures.tsv(folder.appendingPathComponent("MANIFEST.tsv"))
        #expect(rows.count == 202)
        var failures: [String] = []
        var exactPassed = 0
        let committedFiles = Set(ConformanceTests.committed.compactMap { $0["file"] })
        for row in rows where !committedFiles.contains(row["file"] ?? "") {
            if let problem = try ConformanceTests.check(row, folder: folder) {
                failures.append(problem)
            } else if ConformanceTests.expectation(row) == .pixels {
                exactPassed += 1
            }
        }
        print("conformance (files not committed): \(exactPassed) exact files pixel-identical, "
              + "\(failures.count) failures of \(rows.count - committedFiles.count)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
