internal import Crypto
internal import Foundation
internal import LedgerJSON

/// The data keys of one data folder, with the master key when the operator supplied one: what
/// encrypts personal data at the door, opens it for a reveal, and destroys it on erasure.
///
/// Without a master key the vault still knows which workers are erased (so reads say
/// `"[erased]"`) and can erase; it cannot encrypt or reveal, and says how to get a key.
///
/// `@unchecked Sendable`: the cached store and unwrapped keys are guarded by `lock`.
public final class PersonalDataVault: @unchecked Sendable {
    /// The data-key file.
    public let path: String
    /// The operator's master key, if one was given: the key file's new key once the ledger's
    /// keys were rotated under it (``currentMaster(for:)``).
    public var masterKey: MasterKey? { lock.withLock { held } }
    private var held: MasterKey?
    private let lock = NSLock()
    private var cached = KeyStore()
    private var identity: FileIdentity?
    private var unwrapped: [String: SymmetricKey] = [:]
    private let withoutMasterKey: MasterKeyRemedy

    /// The vault of the data folder `folder`; with `masterKey`, checked against the stored keys
    /// now. Without one the data-key file is read when first needed (an erasure, a read of
    /// personal data), so that a command that never needs it (`verify`) runs even when it is
    /// damaged or missing. `withoutMasterKey` is what a refusal for want of one says.
    public init(folder: String, masterKey: MasterKey?, withoutMasterKey: MasterKeyRemedy = .commandLine) throws(LedgerError) {
        self.path = KeyStore.path(in: folder)
        self.held = masterKey
        self.withoutMasterKey = withoutMasterKey
        if let masterKey { try current().requireMaster(masterKey) }
    }

    /// The store as the file holds it now (re-read when another process replaced it).
    func current() throws(LedgerError) -> KeyStore {
        let now = FileIdentity(of: path)
        if let store = lock.withLock({ now == identity && now != nil ? cached : nil }) { return store }
        let store = try KeyStore.load(path: path)
        lock.withLock {
            if store != cached { unwrapped = [:] }
            cached = store
            identity = now
        }
        return store
    }

    /// What the key file holds: how many workers have a data key, how many were erased, and the
    /// public id of the master key that wraps them (for `stats`).
    public func summary() throws(LedgerError) -> (workersWithKeys: Int, erased: Int, masterKeyID: String?) {
        let store = try current()
        return (store.wrapped.count, store.erased.count, store.masterKeyID)
    }

    /// Whether `worker` has a data key: whether any personal data of it was ever recorded (and
    /// not erased).
    public func hasKey(_ worker: String) throws(LedgerError) -> Bool { try current().wrapped[worker] != nil }

    /// Whether `worker`'s personal data was erased (its key destroyed).
    public func isErased(_ worker: String) throws(LedgerError) -> Bool { try current().erased.contains(worker) }

    /// The master key, or the refusal that says how to supply one.
    func requireMasterKey(for purpose: String) throws(LedgerError) -> MasterKey {
        guard let masterKey else {
            throw LedgerError(withoutMasterKey.code, "\(purpose) needs the master key, and \(withoutMasterKey.remedy)")
        }
        return masterKey
    }

    /// The master key that wraps the data keys as the file holds them now. It was checked when
    /// the vault opened, but a long-running process (the server) may outlive a `keys
    /// rotate-master` run by another: then its key file is read again, and once the operator has
    /// put the new key there, that key serves from then on, with no restart. Until then the
    /// refusal is the operator's to put right, not the request's (``LedgerError/Code/unavailable``).
    func currentMaster(for purpose: String) throws(LedgerError) -> MasterKey {
        let master = try requireMasterKey(for: purpose)
        guard let stored = try current().masterKeyID, stored != master.id else { return master }
        if let file = master.file, let reread = try? MasterKey.read(file: file), reread.id == stored {
            lock.withLock { held = reread }
            return reread
        }
        let place = master.file.map { "put the new key file in place of \($0) (it is read again at the next request), or restart" } ?? "restart"
        throw LedgerError(.unavailable, "\(purpose) is not possible now: the ledger's data keys were re-wrapped under master key \(stored) (`careledger keys rotate-master`) after this process was given master key \(master.id); its operator must \(place) with that key (--master-key FILE)")
    }

    /// `worker`'s data key, if it has one.
    func dataKey(of worker: String) throws(LedgerError) -> SymmetricKey? {
        if let key = lock.withLock({ unwrapped[worker] }) { return key }
        return try dataKey(of: worker, under: try currentMaster(for: "reading personal data"))
    }

    /// `worker`'s data key, if it has one, unwrapped by `master` (``currentMaster(for:)``'s).
    private func dataKey(of worker: String, under master: MasterKey) throws(LedgerError) -> SymmetricKey? {
        if let key = lock.withLock({ unwrapped[worker] }) { return key }
        guard let key = try current().unwrap(worker, under: master) else { return nil }
        lock.withLock { unwrapped[worker] = key }
        return key
    }

    /// The plaintext of stored personal data: the base64 `text` of member `field` of the stored
    /// event `document`, sealed under `worker`'s key and bound to the event's id. `nil` when the
    /// worker has no key or the text does not open.
    func open(_ text: some Collection<UInt8>, field: PersonalDataField, of document: JSONDocument, worker: String) throws(LedgerError) -> [UInt8]? {
        guard let id = document.member(document.root, named: "id"), let key = try dataKey(of: worker) else { return nil }
        return PersonalDataField.open(text, with: key, associatedData: field.associatedData(eventID: document.string(id)))
    }

    // MARK: Writing, inside the log's write transaction

    /// The key that seals `worker`'s personal data in this batch: the stored one, one this batch
    /// already made, or a new one staged in `changes`.
    func sealingKey(for worker: String, changes: inout KeyChanges) throws(LedgerError) -> SymmetricKey {
        if let made = changes.added[worker] { return made.key }
        let master = try currentMaster(for: "recording personal data (/data/pii, /data/notes)")
        if let key = try dataKey(of: worker, under: master) { return key }
        let key = SymmetricKey(size: .bits256)
        changes.added[worker] = (key, try KeyStore.wrap(key, for: worker, under: master))
        return key
    }

    /// Writes the staged keys and erasures: new keys join the file; erased workers' keys leave
    /// it, and the file is rewritten so their bytes are in no file. Call before the log commits.
    func apply(_ changes: KeyChanges) throws(LedgerError) {
        guard !changes.isEmpty else { return }
        var store = try KeyStore.load(path: path)
        for (worker, made) in changes.added where store.wrapped[worker] == nil && !store.erased.contains(worker) {
            store.wrapped[worker] = made.wrapped
            store.masterKeyID = store.masterKeyID ?? masterKey?.id
        }
        for worker in changes.erased {
            store.wrapped[worker] = nil
            store.erased.insert(worker)
        }
        try store.save(path: path)
        lock.withLock {
            cached = store
            identity = FileIdentity(of: path)
            for worker in changes.erased { unwrapped[worker] = nil }
        }
    }

    /// Re-wraps every data key under `newMaster` (the data keys themselves, and so every
    /// ciphertext in the log, stay as they are). Call inside the log's write transaction.
    func rewrap(under newMaster: MasterKey) throws(LedgerError) -> Int {
        let master = try requireMasterKey(for: "rotating the master key")
        var store = try KeyStore.load(path: path)
        try store.requireMaster(master)
        for worker in store.wrapped.keys {
            guard let key = try store.unwrap(worker, under: master) else { continue }
            store.wrapped[worker] = try KeyStore.wrap(key, for: worker, under: newMaster)
        }
        store.masterKeyID = newMaster.id
        try store.save(path: path)
        lock.withLock {
            cached = store
            identity = FileIdentity(of: path)
        }
        return store.wrapped.count
    }
}

/// Key changes staged by one batch, written only if the batch lands.
struct KeyChanges {
    var added: [String: (key: SymmetricKey, wrapped: String)] = [:]
    var erased: Set<String> = []

    var isEmpty: Bool { added.isEmpty && erased.isEmpty }

    mutating func merge(_ other: KeyChanges) {
        added.merge(other.added) { first, _ in first }
        erased.formUnion(other.erased)
    }
}
