import Foundation

/// The Python that runs a reference script of `Tools/reference/`: the first `python3` on `PATH`,
/// then Debian's, that can import every module the script needs. On a machine of this kind
/// pip's Python has `jsonschema`; `Tools/test.sh` installs Debian's `python3-jsonschema` where
/// none has it.
public enum ReferencePython {
    /// The interpreter's path, or `nil` when no candidate imports all of `modules`.
    public static func interpreter(importing modules: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/python3" } + ["/usr/bin/python3", "/usr/local/bin/python3"]
        return candidates.first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
            guard !modules.isEmpty else { return true }
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: candidate)
            probe.arguments = ["-c", "import " + modules.joined(separator: ", ")]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { return false }
            probe.waitUntilExit()
            return probe.terminationStatus == 0
        }
    }

    /// The path of `Tools/reference/NAME`.
    public static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tools/reference/\(name)").standardized.path
    }

    /// Runs `script` (a path) under `interpreter` with `input` as its standard input, and waits for it.
    public static func run(_ interpreter: String, _ script: String, _ arguments: [String] = [], input: String) throws -> (status: Int32, output: String, errors: String) {
        let folder = TemporaryFolder("reference-python")
        let (inputFile, errorFile) = (folder.write("input", input), folder.write("errors", ""))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [script] + arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self), try String(contentsOfFile: errorFile, encoding: .utf8))
    }
}
