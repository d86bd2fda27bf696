import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// A data folder and the binary, for one test.
final class CLIWorkspace {
    let folder = TemporaryFolder("cli")
    var data: String { folder.file("data") }

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

    /// An import of `file` under way: started printing progress, and past its first progress
    /// line, so part of it is in the write transaction and the rest of the file not yet read.
    struct RunningImport {
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

    func startImport(_ file: String) throws -> RunningImport {
        let process = CareLedgerBinary.start(["import", file, "--data", data], environment: ["CARELEDGER_PROGRESS": "always"])
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let handle = errors.fileHandleForReading
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("importing") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        return RunningImport(process: process, errors: handle, printed: seen)
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
