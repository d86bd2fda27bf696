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
}
