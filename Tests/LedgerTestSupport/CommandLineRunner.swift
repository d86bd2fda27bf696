public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `careledger` binary as a subprocess, as a person or a script would.
public enum CareLedgerBinary {
    /// The binary beside the test bundle in SwiftPM's build folder.
    public static var path: String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner is .build/<config>/<Package>PackageTests.xctest; the binary sits beside it.
        if folder.pathExtension == "xctest" { folder = folder.deletingLastPathComponent() }
        let candidate = folder.appendingPathComponent("careledger").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/careledger").standardized.path
    }

    /// What a finished run printed and how it exited.
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        /// Standard output as written, for output that is not text (a workbook).
        public let standardOutputBytes: [UInt8]
    }

    /// Runs `careledger ARGUMENTS` with `input` on standard input and waits for it; with
    /// `launcher`, through that command (such as `setpriv` with its options); with
    /// `workingFolder`, there (for relative paths in `arguments`).
    @discardableResult
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], launcher: [String] = [],
        workingFolder: String? = nil
    ) throws -> Result {
        let process = start(arguments, environment: environment)
        if let workingFolder { process.currentDirectoryURL = URL(fileURLWithPath: workingFolder) }
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [path] + arguments
        }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = outPipe.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errPipe.fileHandleForReading.readDataToEndOfFile() }
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                      standardError: String(decoding: err, as: UTF8.self), standardOutputBytes: Array(out))
    }

    /// A configured, not yet started process running `careledger ARGUMENTS` with no signal
    /// blocked, as a shell starts it, for a test that signals it: the test runner's threads
    /// block `SIGINT` and `SIGTERM`, and a child inherits its parent's mask through exec.
    /// `ignoring` signals are ignored as it starts, as `nohup` ignores `SIGHUP`. (Through
    /// python3, which every machine of this kind has, to set these before exec; python ignores
    /// `SIGPIPE` itself, which is put back.)
    public static func startUnblocked(_ arguments: [String], environment: [String: String] = [:], ignoring: [Int32] = []) -> Process {
        let process = start(arguments, environment: environment)
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: python)
        let ignores = ignoring.map { "signal.signal(\($0), signal.SIG_IGN); " }.joined()
        process.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); signal.signal(signal.SIGPIPE, signal.SIG_DFL); \(ignores)os.execv(sys.argv[1], sys.argv[1:])",
                             path] + arguments
        return process
    }

    /// A configured, not yet started process running `careledger ARGUMENTS`.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CARELEDGER_DATA")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }
}

extension Process {
    /// Sends `SIGINT` (Ctrl-C) and waits for the process to end; after two minutes, `SIGKILL`
    /// ends it instead, so a process that ignores the signal fails its test rather than hanging it.
    public func interruptAndWait() {
        kill(processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(120)
        while isRunning, Date() < deadline { usleep(10_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }

    /// Whether the process ended by `SIGINT`, as after Ctrl-C.
    public var endedByInterrupt: Bool { terminationReason == .uncaughtSignal && terminationStatus == SIGINT }

    /// Runs the process with standard output and error in one pipe, waits for it, and returns what
    /// it printed.
    public func runPrinting() throws -> String {
        let output = Pipe()
        standardOutput = output
        standardError = output
        try run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waitUntilExit()
        return printed
    }
}
