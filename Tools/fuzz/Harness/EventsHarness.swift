import CareLedger
import Foundation

/// A batch as `POST /v1/events` and `careledger append` take it, checked against a demo ledger
/// (`FUZZ_LEDGER`) as `--check` checks it: parsing, the schemas, references and lifecycle rules.
enum EventsHarness {
    static let ledger: Ledger = {
        guard let folder = ProcessInfo.processInfo.environment["FUZZ_LEDGER"] else { fatalError("FUZZ_LEDGER names the demo ledger to check against") }
        return try! Ledger(folder: folder)
    }()

    static func run(_ body: [UInt8]) {
        _ = try? ledger.checkAppend(body: body)
    }
}
