import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// A data folder and the binary, for one test.
final class CLIWorkspace {
    let folder = TemporaryFolder("cli")
    var data: String { folder.file("data") }

    /// A new access token named `name` with `role`, as `tokens add` prints it once.
    func token(_ name: String, role: String) throws -> String {
        try expect(0, ["tokens", "add", name, "--role", role]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> CareLedgerBinary.Result {
        try CareLedgerBinary.run(arguments + ["--data", data], input: input, environment: environment)
    }

    /// Runs and requires exit status `status`.
    @discardableResult
    func expect(_ status: Int32, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                sourceLocation: SourceLocation = #_sourceLocation) throws -> CareLedgerBinary.Result {
        let result = try run(arguments, input: input, environment: environment)
        #expect(result.status == status, "careledger \(arguments.joined(separator: " ")) exited \(result.status): \(result.standardError)",
                sourceLocation: sourceLocation)
        return result
    }

    func initialised(withWorld: Bool = true) throws -> CLIWorkspace {
        try expect(0, ["init"])
        if withWorld { try expect(0, ["append", "-"], input: Fixtures.ndjson(Fixtures.worldWithIDs)) }
        return self
    }

    func digest() throws -> String {
        try expect(0, ["digest"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A command under way, past the first thing it was awaited for on standard error.
    struct RunningCommand {
        let process: Process
        let errors: FileHandle
        /// Standard error so far.
        var printed: Data

        /// Waits for the process to end, and returns all it printed on standard error.
        mutating func finish() -> String {
            printed.append(errors.readDataToEndOfFile())
            process.waitUntilExit()
            return String(decoding: printed, as: UTF8.self)
        }
    }

    /// Starts `careledger ARGUMENTS --data …` with CARELEDGER_PROGRESS=always, and returns once it
    /// has printed `marker` on standard error (or ended without it).
    func start(_ arguments: [String], awaiting marker: String) throws -> RunningCommand {
        let process = CareLedgerBinary.start(arguments + ["--data", data], environment: ["CARELEDGER_PROGRESS": "always"])
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let handle = errors.fileHandleForReading
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        return RunningCommand(process: process, errors: handle, printed: seen)
    }

    /// An import of `file` under way: started printing progress, and past its first progress
    /// line, so part of it is in the write transaction and the rest of the file not yet read.
    func startImport(_ file: String) throws -> RunningCommand {
        try start(["import", file], awaiting: "importing")
    }

    /// `n` valid events for one new worker each: registration, arrival and training.
    static func bulk(_ workers: Int, prefix: String) -> String {
        var lines: [String] = []
        for w in 0..<workers {
            let ref = "\(prefix)-\(w)"
            lines.append(Fixtures.event("WorkerRegistered", ["workerRef": .string(ref), "route": "selfReferral", "nationality": "IN", "laCode": "E08000025"]).compactText)
            lines.append(Fixtures.event("WorkerArrived", ["workerRef": .string(ref)]).compactText)
            lines.append(Fixtures.event("TrainingCompleted", ["workerRef": .string(ref), "kind": "induction", "title": "Induction"]).compactText)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Changes the first byte of every copy of `marker` in `path` to X, in place (the file is not
/// replaced, so a server that has it mapped reads the change; "Xamperville": one byte, in every
/// copy of the page): how many copies it changed.
func changeFirstByte(of marker: String, inPlaceIn path: String) throws -> Int {
    let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? file.close() }
    let bytes = [UInt8](try file.readToEnd() ?? Data())
    let needle = Array(marker.utf8)
    let offsets = bytes.indices.dropLast(needle.count - 1).filter { bytes[$0] == needle[0] && bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    for offset in offsets {
        try file.seek(toOffset: UInt64(offset))
        file.write(Data("X".utf8))
    }
    try file.synchronize()
    return offsets.count
}
