import CareLedger
import Foundation

/// A batch as `POST /v1/events` and `careledger append` take it, checked against a demo ledger
/// (`FUZZ_LEDGER`) as `--check` checks it: parsing, the schemas, references and lifecycle rules,
/// and, with the master key (`FUZZ_MASTER_KEY`, a key file), personal data sealed at the door and
/// a re-sent event's compared with the stored ciphertext's plaintext.
enum EventsHarness {
    static let ledger: Ledger = {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = environment["FUZZ_LEDGER"] else { fatalError("FUZZ_LEDGER names the demo ledger to check against") }
        let masterKey = environment["FUZZ_MASTER_KEY"].map { path in try! MasterKey.read(file: path) }
        return try! Ledger(folder: folder, masterKey: masterKey)
    }()

    static func run(_ body: [UInt8]) {
        _ = try? ledger.checkAppend(body: body)
    }
}
