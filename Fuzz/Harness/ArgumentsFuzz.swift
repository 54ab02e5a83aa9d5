// libFuzzer target: the command-line parser (compiled with the unjpeg sources, without
// main.swift, by Fuzz/run.sh). Input: one byte choosing the command, then the arguments
// separated by NUL bytes. Every command's CommandSpec.parse must return or throw a
// UsageError / HelpRequested, and the typed accessors must do the same; help and usage
// text must render. Nothing is run.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let selector = bytes.first else { return 0 }
    let command = allCommands[Int(selector) % allCommands.count]
    let arguments = bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    let spec = command.spec
    do {
        let parsed = try spec.parse(arguments)
        precondition(parsed.positionals.count <= arguments.count, "more positionals than arguments")
        for option in spec.options where option.valueName != nil {
            _ = try? parsed.int(option.name, default: 0, in: 0...1_000_000, command: spec)
            _ = try? parsed.double(option.name, default: 0, in: -1e9...1e9, command: spec)
            if !option.repeatable { precondition(parsed.all(option.name).count <= 1, "repeated a single option") }
        }
        _ = try? CommonOptions.maxPixels(parsed, command: spec)
    } catch let usage as UsageError {
        _ = usage.message
        _ = usage.command?.usage
    } catch let help as HelpRequested {
        _ = help.command.helpText
    } catch {
        preconditionFailure("parse threw \(error)")
    }
    return 0
}

/// With UNJPEG_FUZZ_SEEDS=<folder>, writes a few command lines of every command there.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzArgumentsInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                                    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    guard let folder = ProcessInfo.processInfo.environment["UNJPEG_FUZZ_SEEDS"] else { return 0 }
    for (index, command) in allCommands.enumerated() {
        var lines: [[String]] = [["in.jpg"], ["--help"], ["-", "--", "-x"]]
        var separate: [String] = [], inline: [String] = []
        for option in command.spec.options {
            let spelled = option.short.map { "-\($0)" } ?? "--\(option.name)"
            if option.valueName == nil {
                separate.append(spelled); inline.append("--\(option.name)")
            } else {
                separate += [spelled, "12"]; inline.append("--\(option.name)=0.5")
            }
        }
        lines += [separate + ["a", "b"], inline + ["a"]]
        for (n, line) in lines.enumerated() {
            let data = [UInt8(index)] + Array(line.joined(separator: "\u{0}").utf8)
            _ = FileManager.default.createFile(atPath: "\(folder)/\(command.spec.path.replacingOccurrences(of: " ", with: "-"))-\(n)",
                                           contents: Data(data))
        }
    }
    return 0
}
