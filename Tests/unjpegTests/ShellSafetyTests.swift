import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14's hostile-user cases, each run through a real shell against the real binary:
/// special files, closed and full streams, clashing batches, protected inputs, non-UTF-8
/// names, early failures, modes, terminals and the conventions of a command-line tool.
@Suite struct ShellSafetyTests {
    /// A folder with `a.jpg` (40×24, colour) and a tiny model `tiny.unjm`.
    static func setUp() throws -> URL {
        let folder = try CLI.temporaryFolder()
        _ = try SafetyTests.makeJPEG("a", in: folder)
        _ = try SafetyTests.makeModel(in: folder)
        return folder
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    // MARK: 1. Special files are written through

    @Test func specialFilesAreWrittenThroughNotReplaced() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try CLI.run(["decode", folder.appendingPathComponent("a.jpg").path, "-o", "-"])
        #expect(reference.status == 0 && reference.stdoutBytes.count > 100)
        // /dev/stdout and /dev/fd/1 are the captured standard output.
        for target in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            let result = try CLI.shell("\"$UNJPEG\" decode a.jpg -o \(target)", in: folder)
            #expect(result.status == 0, "\(target): \(result.stderr)")
            #expect(result.stdoutBytes == reference.stdoutBytes, "\(target)")
        }
        // A named pipe gets the bytes and stays a pipe; a symlink to /dev/null stays a symlink.
        let fifo = try CLI.shell("""
            mkfifo pipe && ln -s /dev/null null.png
            (cat pipe > from-pipe.png) & reader=$!
            "$UNJPEG" decode a.jpg -o pipe; status=$?
            wait $reader
            "$UNJPEG" decode a.jpg -o null.png || status=9
            [ -p pipe ] && [ -L null.png ] && [ "$(readlink null.png)" = /dev/null ] && exit $status
            exit 7
            """, in: folder)
        #expect(fifo.status == 0, "\(fifo.stderr)")
        #expect(try Self.bytes(folder.appendingPathComponent("from-pipe.png")) == reference.stdoutBytes)
        // A symlink to a regular file keeps the link; the file it points to is replaced.
        let link = try CLI.shell("""
            echo old > real.png && ln -s real.png link.png
            "$UNJPEG" decode a.jpg -o link.png && [ -L link.png ] && [ "$(readlink link.png)" = real.png ]
            """, in: folder)
        #expect(link.status == 0, "\(link.stderr)")
        #expect(try Self.bytes(folder.appendingPathComponent("real.png")) == reference.stdoutBytes)
        // A dangling symlink is refused rather than guessed at.
        let dangling = try CLI.shell("ln -s nowhere/x.png dangling.png; \"$UNJPEG\" decode a.jpg -o dangling.png", in: folder)
        #expect(dangling.status == 1 && dangling.stderr.contains("symlink to a file that does not exist"))
    }

    // MARK: 2. Failed writes to standard streams

    @Test func closedOrFullStreamsAreErrorsNotTraps() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try CLI.shell("\"$UNJPEG\" decode a.jpg -o - > /dev/full", in: folder)
        #expect(full.status == 1)
        #expect(full.stderr == "Error: Cannot write to standard output: No space left on device.\n")
        let help = try CLI.shell("\"$UNJPEG\" --help > /dev/full", in: folder)
        #expect(help.status == 1)
        #expect(help.stderr == "Error: Cannot write to standard output: No space left on device.\n")
        let closed = try CLI.shell("\"$UNJPEG\" decode a.jpg -o - >&-", in: folder)
        #expect(closed.status == 1)
        #expect(closed.stderr == "Error: Cannot write to standard output: it is closed.\n")
        // Standard error full or closed: the failure still exits 1, the output still appears.
        let quietFailure = try CLI.shell("\"$UNJPEG\" decode missing.jpg -o x.png 2>/dev/full", in: folder)
        #expect(quietFailure.status == 1)
        let closedError = try CLI.shell("\"$UNJPEG\" decode a.jpg -o out.png 2>&-", in: folder)
        #expect(closedError.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.png").path))
        // A reader that goes away: quiet, no "Error", and no crash (141 = as by SIGPIPE).
        let pipe = try CLI.shell("""
            "$UNJPEG" compress a.jpg -o big.jpg --quality 100 >/dev/null
            python3 -c "import sys; sys.stdout.buffer.write(b'P6\\n700 500\\n255\\n' + __import__('os').urandom(700 * 500 * 3))" > big.ppm
            "$UNJPEG" decode big.ppm -o - | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"
            """, in: folder)
        #expect(pipe.stdout == "141\n", "\(pipe.stderr)")
        #expect(!pipe.stderr.contains("Error"))
    }

    // MARK: 3–4. Batches that clash, inputs that are not images

    @Test func clashingBatchOutputsAreRefusedBeforeAnyWork() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            mkdir d1 d2 same && cp a.jpg d1/x.jpg && cp a.jpg d2/x.jpg && cp a.jpg same/p.jpg && cp a.jpg same/p.jpeg
            "$UNJPEG" clean d1/x.jpg d2/x.jpg --out-dir o --model tiny.unjm; echo "status $?"
            "$UNJPEG" clean same --out-dir o2 --model tiny.unjm; echo "status $?"
            [ -e o ] || [ -e o2 ] && echo "an output folder was made"
            """, in: folder)
        #expect(result.stdout == "status 64\nstatus 64\n", "\(result.stderr)")
        #expect(result.stderr.contains("'d1/x.jpg' and 'd2/x.jpg' would both be written to 'o/x.clean.png'"))
        #expect(result.stderr.contains("'same/p.jpeg' and 'same/p.jpg' would both be written to 'o2/p.clean.png'"))
    }

    @Test func everyFileTheCommandReadsIsProtected() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.bytes(folder.appendingPathComponent("tiny.unjm"))
        let result = try CLI.shell("""
            cp tiny.unjm model.png
            "$UNJPEG" clean a.jpg --model model.png -o model.png; echo "status $?"
            mkdir imgs && "$UNJPEG" decode a.jpg -o imgs/a0.png
            cp imgs/a0.png before.png
            "$UNJPEG" train --images imgs -o imgs/a0.png --steps 1 --samples 10; echo "status $?"
            cmp -s imgs/a0.png before.png && echo kept
            """, in: folder)
        #expect(result.stdout == "status 1\nstatus 1\nkept\n", "\(result.stderr)")
        #expect(result.stderr.contains("Refusing to write 'model.png': it is the input file 'model.png'"))
        #expect(result.stderr.contains("Refusing to write 'imgs/a0.png': it is the input file 'imgs/a0.png'"))
        #expect(try Self.bytes(folder.appendingPathComponent("model.png")) == model)
        // The training refusal came before any pair was made.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("imgs/a0.png.work").path))
    }

    // MARK: 5. Names are bytes

    @Test func nonUTF8NamesAreKeptByteForByte() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            cp a.jpg "$(printf 'in\\377.jpg')"
            "$UNJPEG" decode "$(printf 'in\\377.jpg')" -o "$(printf 'out\\376.png')" || exit 3
            [ -f "$(printf 'out\\376.png')" ] || exit 4
            mkdir "$(printf 'd\\375')" && cp a.jpg "$(printf 'd\\375/p\\374.jpg')"
            "$UNJPEG" clean "$(printf 'd\\375')" --model tiny.unjm -q || exit 5
            [ -f "$(printf 'd\\375/p\\374.clean.png')" ] || exit 6
            "$UNJPEG" decode "$(printf 'no\\373.jpg')" -o x.png
            """, in: folder)
        #expect(result.status == 1)
        // The message names the file with its own bytes.
        let stderr = try CLI.shell("\"$UNJPEG\" decode \"$(printf 'no\\373.jpg')\" -o x.png 2>&1 | od -An -tx1 | tr -d ' \\n'", in: folder)
        #expect(stderr.stdout.contains("6e6ffb2e6a7067"), "the name's bytes n o 0xFB . j p g: \(stderr.stdout)")
    }

    // MARK: 6–7. Early failures, long names, stale temporaries, formats

    @Test func outputProblemsFailBeforeTheWork() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = String(repeating: "n", count: 251) + ".png"
        let result = try CLI.shell("""
            "$UNJPEG" clean a.jpg -o nodir/x.png --model tiny.unjm; echo "status $?"
            "$UNJPEG" decode a.jpg -o \(long); echo "status $?"
            "$UNJPEG" clean a.jpg -o cl.jpg --model tiny.unjm; echo "status $?"
            "$UNJPEG" decode a.jpg -o x.webp; echo "status $?"
            "$UNJPEG" decode a.jpg -o d.pgm; echo "status $?"
            "$UNJPEG" compress a.jpg -o c.png; echo "status $?"
            ls cl.jpg x.webp d.pgm c.png 2>/dev/null
            """, in: folder)
        #expect(result.stdout == "status 1\nstatus 0\nstatus 64\nstatus 64\nstatus 1\nstatus 64\n", "\(result.stderr)")
        #expect(result.stderr.contains("Cannot write 'nodir/x.png': the folder 'nodir' does not exist."))
        #expect(result.stderr.contains("clean writes PNG, but the output 'cl.jpg' ends in '.jpg'"))
        #expect(result.stderr.contains("PGM holds gray images"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(long).path))
    }

    @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A dead PID (above pid_max on Linux is impossible, so take a real finished child's),
        // an old temporary of a live process (this test), and a fresh one of a dead process.
        let result = try CLI.shell("""
            sh -c 'exit 0' & dead=$!; wait $dead
            touch -d '2 hours ago' ".unjpeg-$dead-1a2b.tmp" ".unjpeg-$PPID-1a2b.tmp" not-ours.tmp
            touch ".unjpeg-$dead-f00d.tmp"
            "$UNJPEG" decode a.jpg -o out.png || exit 3
            ls -A | grep tmp | sed "s/$dead/DEAD/; s/$PPID/LIVE/" | sort
            """, in: folder)
        #expect(result.stdout == ".unjpeg-DEAD-f00d.tmp\n.unjpeg-LIVE-1a2b.tmp\nnot-ours.tmp\n", "\(result.stderr)")
    }

    // MARK: 8. Limits apply to every format

    @Test func maxPixelsAppliesToPNMAndPNG() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            "$UNJPEG" decode a.jpg -o a.ppm && "$UNJPEG" decode a.jpg -o a.png || exit 3
            "$UNJPEG" decode a.ppm -o b.png --max-pixels 100; echo "status $?"
            "$UNJPEG" decode a.png -o c.png --max-pixels 100; echo "status $?"
            "$UNJPEG" decode a.ppm -o d.png --max-pixels 960; echo "status $?"
            """, in: folder)
        #expect(result.stdout == "status 1\nstatus 1\nstatus 0\n", "\(result.stderr)")
        #expect(result.stderr.contains("40×24 = 960 pixels, more than the limit of 100"))
    }

    // MARK: 11. JSON

    @Test func jsonEscapesNamesAndUsesRealTypes() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("cp a.jpg \"$(printf 'x\\n\\033y\".jpg')\"; \"$UNJPEG\" info --json \"$(printf 'x\\n\\033y\".jpg')\"", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["file"] as? String == "x\n\u{1B}y\".jpg")
        #expect(object?["progressive"] as? Bool == false)
        #expect(object?["pillow_quality"] as? Int == 85)
        // eval: no white pixels in the image → null, never "-" or nan.
        let eval = try CLI.shell("mkdir v && \"$UNJPEG\" decode a.jpg -o v/a.png && \"$UNJPEG\" eval --images v --model tiny.unjm --json", in: folder)
        #expect(eval.status == 0, "\(eval.stderr)")
        for line in eval.stdout.split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(row?["white_off_clean_pct"] is NSNull, "\(line)")
            #expect(!line.contains("nan") && !line.contains("inf") && !line.contains("\"-\""))
        }
    }

    // MARK: 13–15. Conventions, progress, modes

    @Test func conventionsOfACommandLineTool() throws {
        let bare = try CLI.run([])
        #expect(bare.status == 0 && bare.stdout.hasPrefix("OVERVIEW: "))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("unjpeg "))
        #expect(try CLI.run(["clean", "--version"]).stdout == version.stdout)
        for command in [["help", "bench"], ["bench", "--help"], ["bench"]] {
            let result = try CLI.run(command)
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("SUBCOMMANDS:") && result.stdout.contains("  gemm"), "\(command)")
        }
        let decodeHelp = try CLI.run(["decode", "--help"])
        #expect(decodeHelp.stdout.contains("USAGE: unjpeg decode [<options>] -o <path> <input>"))
        let evalHelp = try CLI.run(["eval", "--help"])
        #expect(evalHelp.stdout.contains("USAGE: unjpeg eval [<options>] --images <folder>"))
        // Wrapped to 80 columns when not on a terminal.
        #expect(evalHelp.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let missing = try CLI.run(["decode", "x.jpg"])
        #expect(missing.status == 64 && missing.stderr.hasPrefix("Error: Missing expected argument '-o <path>'."))
        let typo = try CLI.run(["clean", "--modle", "m", "a.jpg"])
        #expect(typo.status == 64 && typo.stderr.hasPrefix("Error: Unknown option '--modle'. Did you mean '--model'?"))
        let command = try CLI.run(["cleen"])
        #expect(command.status == 64 && command.stderr.hasPrefix("Error: Unknown subcommand 'cleen'. Did you mean 'clean'?"))
        let group = try CLI.run(["bench", "gemn"])
        #expect(group.status == 64 && group.stderr.hasPrefix("Error: Unknown subcommand 'bench gemn'. Did you mean 'bench gemm'?"))
    }

    @Test func terminalsGetNoBinaryAndDumbTerminalsNoEscapes() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        // `script` gives the command a terminal for standard output and error.
        let binary = try CLI.shell("script -qec '\"$UNJPEG\" decode a.jpg -o -' /dev/null", in: folder)
        #expect(binary.status == 1)
        #expect(binary.stdout.contains("Refusing to write binary image data to a terminal"))
        let progress = try CLI.shell("""
            mkdir many && for i in 1 2 3; do cp a.jpg many/p$i.jpg; done
            script -qec '"$UNJPEG" clean many --out-dir out --model tiny.unjm' /dev/null
            """, in: folder, environment: ["TERM": "dumb", "COLUMNS": "30"])
        #expect(progress.status == 0, "\(progress.stdout)")
        #expect(!progress.stdout.contains("\u{1B}"), "escape codes with TERM=dumb")
        #expect(progress.stdout.contains("0/3"))
        #expect(progress.stdout.contains("cleaned 3 of 3 files into 'out'"))
        // No progress line is wider than the terminal.
        for line in progress.stdout.split(whereSeparator: { $0 == "\r" || $0 == "\n" }) where line.contains("[") {
            #expect(line.trimmingCharacters(in: .whitespaces).count < 30, "\(line)")
        }
        let quiet = try CLI.shell("script -qec '\"$UNJPEG\" clean many --out-dir out2 --model tiny.unjm -q' /dev/null", in: folder)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
        let verbose = try CLI.shell("\"$UNJPEG\" clean many --out-dir out3 --model tiny.unjm -v", in: folder)
        #expect(verbose.stderr.contains("many/p2.jpg → out3/p2.clean.png"))
    }

    @Test func outputsRespectTheUmaskAndKeepTheirMode() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            umask 077; "$UNJPEG" decode a.jpg -o new.png
            umask 022; echo old > kept.png; chmod 640 kept.png; "$UNJPEG" decode a.jpg -o kept.png
            stat -c '%a %n' new.png kept.png
            """, in: folder)
        #expect(result.stdout == "600 new.png\n640 kept.png\n", "\(result.stderr)")
    }

    // MARK: 17. Folder trees

    @Test func recursiveCleaningMirrorsTheTree() throws {
        let folder = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            mkdir -p tree/sub/deeper && cp a.jpg tree/top.jpg && cp a.jpg tree/sub/x.jpg && cp a.jpg tree/sub/deeper/y.JPEG
            "$UNJPEG" clean tree --out-dir flat --model tiny.unjm -q; echo "status $?"
            "$UNJPEG" clean -r tree --out-dir mirror --model tiny.unjm -q; echo "status $?"
            find flat mirror -type f | sort
            """, in: folder)
        #expect(result.stdout == "status 0\nstatus 0\nflat/top.clean.png\nmirror/sub/deeper/y.clean.png\nmirror/sub/x.clean.png\nmirror/top.clean.png\n", "\(result.stderr)")
    }
}

/// Issue 14 items 8–9 through the CLI: a tiny file declaring a huge image is refused from its
/// header, before anything image-sized is allocated, with an exit status of 1 (never 134).
@Suite struct ResourceLimitTests {
    /// `a.jpg` with its frame header's height and width set to `height` × `width`.
    static func declaring(_ jpeg: [UInt8], width: Int, height: Int) -> [UInt8] {
        var bytes = jpeg
        var i = 2
        while i + 9 < bytes.count {
            guard bytes[i] == 0xFF else { break }
            let marker = bytes[i + 1]
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            if marker == 0xC0 || marker == 0xC2 {
                bytes[i + 5] = UInt8(height >> 8); bytes[i + 6] = UInt8(height & 0xFF)
                bytes[i + 7] = UInt8(width >> 8); bytes[i + 8] = UInt8(width & 0xFF)
                return bytes
            }
            i += 2 + length
        }
        return bytes
    }

    @Test func hugeDeclaredImagesAreRefusedFromTheHeader() throws {
        let folder = try ShellSafetyTests.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let jpeg = try ShellSafetyTests.bytes(folder.appendingPathComponent("a.jpg"))
        try Data(Self.declaring(jpeg, width: 22000, height: 22000)).write(to: folder.appendingPathComponent("huge.jpg"))
        try Data(Self.declaring(jpeg, width: 8000, height: 8000)).write(to: folder.appendingPathComponent("big.jpg"))
        let result = try CLI.shell("""
            "$UNJPEG" decode huge.jpg -o x.png; echo "status $?"
            "$UNJPEG" clean big.jpg -o y.png --model tiny.unjm; echo "status $?"
            "$UNJPEG" decode a.jpg -o z.png --max-memory 1; echo "status $?"
            ls x.png y.png 2>/dev/null
            """, in: folder)
        #expect(result.stdout == "status 1\nstatus 1\nstatus 0\n", "\(result.stderr)")
        #expect(result.stderr.contains("huge.jpg: Decoding this 22000×22000 image needs about"))
        #expect(result.stderr.contains("big.jpg: cleaning this 8000×8000 image needs about"))
        #expect(result.stderr.contains("raise the limit with --max-memory"))
    }
}

/// `unjpeg model`: a model's pipeline shown, and a copy written with stages changed, which
/// cleans exactly as the original with the same options.
@Suite struct ModelCommandTests {
    @Test func aCopyWithChangedStagesCleansAsTheOptionsDo() throws {
        let folder = try ShellSafetyTests.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            "$UNJPEG" model tiny.unjm --flat-area 8 --white-point 1.5 --luma-smoothing 0 -o changed.unjm || exit 3
            "$UNJPEG" model changed.unjm
            "$UNJPEG" clean a.jpg --model changed.unjm -o x.png || exit 4
            "$UNJPEG" clean a.jpg --model tiny.unjm --flat-area 8 --white-point 1.5 --luma-smoothing 0 -o y.png || exit 5
            cmp x.png y.png && echo same
            "$UNJPEG" model tiny.unjm -o tiny.unjm; echo "status $?"
            """, in: folder)
        #expect(result.stdout.contains("recipe format 2\n"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("  flat_area: radius=8\n  white_point: tolerance=1.5\n"))
        #expect(!result.stdout.contains("luma_smoothing"))
        #expect(result.stdout.hasSuffix("same\nstatus 1\n"), "\(result.stdout)")
        #expect(result.stderr.contains("Refusing to write 'tiny.unjm': it is the input file"))
    }
}

/// `clean --jobs N` (issue 18 item 2): several files in flight give the same files as one at a time.
@Suite struct JobsTests {
    @Test func jobsCleanTheSameFilesAsOneAtATime() throws {
        let folder = try ShellSafetyTests.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            mkdir many && for i in 1 2 3 4 5 6 7; do cp a.jpg many/p$i.jpg; done
            cp tiny.unjm many.bad.jpg 2>/dev/null; printf 'not a jpeg' > many/p8.jpg
            "$UNJPEG" clean many --out-dir one --model tiny.unjm -q; echo "status $?"
            "$UNJPEG" clean many --out-dir four --model tiny.unjm -q --jobs 4; echo "status $?"
            for f in one/*.png; do cmp -s "$f" "four/${f#one/}" || echo "differs: $f"; done
            ls four | wc -l
            """, in: folder)
        #expect(result.stdout == "status 1\nstatus 1\n7\n", "\(result.stdout) \(result.stderr)")
        // The bad file is reported once per run.
        #expect(result.stderr.components(separatedBy: "p8.jpg").count - 1 == 2, "\(result.stderr)")
    }
}

/// `eval` over a grid of qualities, samplings and double JPEGs (issue 17 item 3): one row per
/// point and group, with the point's columns.
@Suite struct EvalGridTests {
    @Test func aGridGivesOneRowPerPointAndGroup() throws {
        let folder = try ShellSafetyTests.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.shell("""
            mkdir v && "$UNJPEG" decode a.jpg -o v/screen_a.png && "$UNJPEG" decode a.jpg -o v/photo_b.png || exit 3
            "$UNJPEG" eval --images v --model tiny.unjm --quality 75,95 --subsampling 4:2:0,4:4:4 --double --json
            """, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // 8 points × (2 images + 3 groups).
        #expect(rows.count == 8 * 5)
        let points = Set(rows.map { "\($0["quality"]!) \($0["subsampling"]!) \($0["double"]!)" })
        #expect(points.count == 8)
        #expect(rows.filter { ($0["image"] as? String) == "mean, all" }.allSatisfy { $0["worse"] is Int })
        let bad = try CLI.run(["eval", "--images", folder.path, "--quality", "75,101"])
        #expect(bad.status == 64 && bad.stderr.contains("'101' is invalid for '--quality'"))
        let empty = try CLI.run(["eval", "--images", folder.path, "--quality", ""])
        #expect(empty.status == 64 && empty.stderr.contains("'' is invalid for '--quality'"))
    }
}
