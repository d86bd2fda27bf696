internal import LMDBStore
internal import LedgerJSON

/// How a read shows personal data (SPEC section 6).
public enum PersonalDataView: Sendable, Equatable {
    /// `"[redacted]"` (or `"[erased]"`): what every read shows unless something else is asked.
    case redacted
    /// The stored form, `{"ciphertext": …}`, exactly what the chain hashes (auditor, staff).
    case stored
    /// The plaintext, for a `staff` reveal; the caller records it in the access log first.
    case revealed
}

/// An event as one read shows it.
public struct ServedEvent: Sendable {
    /// The event's JSON as served.
    public let json: [UInt8]
    /// The worker whose personal data it shows in plaintext, if it does: a reveal to record.
    public let revealedWorker: String?
}

extension Ledger {
    /// `event` as `view` shows it: personal data redacted, stored or revealed, and `"[erased]"`
    /// once its worker's key is destroyed, whatever the view.
    public func served(_ event: StoredEvent, view: PersonalDataView) throws(LedgerError) -> ServedEvent {
        let json = event.servedJSON
        guard view != .stored, let slot = CiphertextSlot.find(in: json, before: event.dataEnd) else {
            return ServedEvent(json: json, revealedWorker: nil)
        }
        let document = try event.document()
        let worker = try reading { txn in try databases.personalDataOwner(slot.field, ofStored: document, in: txn) }
        var replacement = PersonalDataField.redacted
        var revealed: String?
        if let worker, try vault.isErased(worker) {
            replacement = PersonalDataField.erased
        } else if view == .revealed {
            guard let worker, let plaintext = try vault.open(json[slot.text], field: slot.field, of: document, worker: worker) else {
                throw LedgerError(.verificationFailed, "the personal data of the event at seq \(event.seq) does not open with its worker's key: the ciphertext or the data-key file is damaged")
            }
            replacement = plaintext
            revealed = worker
        }
        var shown = json
        shown.replaceSubrange(slot.value, with: replacement)
        return ServedEvent(json: shown, revealedWorker: revealed)
    }

    /// Erases the personal data of `worker`: appends `PersonalDataErased` with `request` (the
    /// data subject's request reference) and destroys the worker's data key before that commits.
    /// - Throws: ``LedgerError`` without a location (the event is the ledger's, not a line the
    ///   caller wrote), its pointer naming the request's own field: `/workerRef` (an unknown or
    ///   already erased worker) or `/requestReference`.
    @discardableResult
    public func erase(worker: String, request: String, actor: String) throws(LedgerError) -> AppendResult {
        let event: JSONValue = .object([
            ("type", "PersonalDataErased"), ("schemaVersion", 1),
            ("occurredOn", .string(Instant.now().date.description)),
            ("data", .object([("workerRef", .string(worker)), ("requestReference", .string(request))])),
            ("meta", .object([("actor", .string(actor))])),
        ])
        do {
            return try append(body: event.canonicalBytes)
        } catch {
            // (Tested inside the block: `catch … where` on typed throws crashes the 6.3.1 compiler.)
            guard error.location != nil else { throw error }
            // The event's data members are the erasure request's: "/data/workerRef" is "/workerRef".
            let pointer = error.pointer.map { $0.hasPrefix("/data/") ? String($0.dropFirst(5)) : $0 }
            throw LedgerError(error.code, error.rule, pointer: pointer)
        }
    }
}

extension Ledger {
    /// Binds this ledger's data keys to `masterKey` (which `keys init` made or was given) before
    /// any key exists, so that a wrong key is refused by name from the first use.
    /// - Returns: false when the keys were bound to it already.
    public func bindMasterKey(_ masterKey: MasterKey) throws(LedgerError) -> Bool {
        try writingKeys { () throws(LedgerError) in
            var store = try KeyStore.load(path: vault.path)
            try store.requireMaster(masterKey)
            guard store.masterKeyID == nil else { return false }
            store.masterKeyID = masterKey.id
            try store.save(path: vault.path)
            return true
        }
    }

    /// Re-wraps every worker's data key under `newMaster`. The log is untouched (its ciphertexts
    /// are under the data keys); copies of the key file taken before, as in earlier backups,
    /// stay wrapped under the old master key, so destroying that key makes them unreadable.
    /// - Returns: how many data keys were re-wrapped.
    public func rotateMasterKey(to newMaster: MasterKey) throws(LedgerError) -> Int {
        try writingKeys { () throws(LedgerError) in try vault.rewrap(under: newMaster) }
    }

    /// Runs `body` holding the log's write lock, which every writer of the key file holds.
    private func writingKeys<Result>(_ body: () throws(LedgerError) -> Result) throws(LedgerError) -> Result {
        do {
            return try environment.write { _ in try body() }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.storage(error, "changing the data keys")
        }
    }
}
