import CareLedger
import LedgerJSON
import LedgerTestSupport

/// A real ledger in its own temporary folder.
final class TestLedger {
    let folder = TemporaryFolder("ledger")
    let ledger: Ledger

    init(world: Bool = true, masterKey: MasterKey? = nil) throws {
        try Ledger.initialise(folder: folder.path)
        ledger = try Ledger(folder: folder.path, masterKey: masterKey)
        if let masterKey { _ = try ledger.bindMasterKey(masterKey) }
        if world { try append(Fixtures.worldWithIDs) }
    }

    @discardableResult
    func append(_ events: [JSONValue], expected: [StreamID: StreamVersion] = [:]) throws -> AppendResult {
        try ledger.append(body: Array(Fixtures.ndjson(events).utf8), expectedVersions: expected)
    }

    @discardableResult
    func append(_ event: JSONValue) throws -> AppendResult { try append([event]) }

    /// Appends, expecting a refusal; returns the error after checking that nothing changed.
    func refusal(_ events: [JSONValue], body: [UInt8]? = nil) throws -> LedgerError {
        let before = try ledger.head()
        let input = body ?? Array(Fixtures.ndjson(events).utf8)
        let outcome: Result<AppendResult, LedgerError> = Result { () throws(LedgerError) in try ledger.append(body: input) }
        guard case .failure(let error) = outcome else { throw Accepted() }
        let after = try ledger.head()
        if after != before { throw Unchanged(before: before, after: after) }
        return error
    }

    struct Accepted: Error {}
    struct Unchanged: Error { let before: LogHead; let after: LogHead }
}
