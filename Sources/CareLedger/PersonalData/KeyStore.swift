internal import Crypto
internal import Foundation
internal import LedgerJSON

/// Every worker's data key, wrapped (AES-GCM) by the master key, in one small file beside the
/// log: `DATA/keys/data-keys.json`.
///
/// Why a file rewritten whole rather than an LMDB database: LMDB leaves a deleted value's bytes
/// in freed pages, and SPEC section 6 wants an erased key in no file the ledger keeps. Each
/// change writes a new file and renames it over the old one, so the old bytes belong to no
/// file any more. Every writer changes it while holding the log's write transaction, so LMDB's
/// writer lock orders them; readers see one whole version or the next.
struct KeyStore: Sendable, Equatable {
    static let format = "careledger-data-keys/1"

    /// The master key that wraps these keys (its public id), once any key exists.
    var masterKeyID: String?
    /// Each worker's data key, sealed by the master key (nonce, ciphertext and tag), as base64:
    /// decoded only when a key is used, so opening a store of many workers stays cheap.
    var wrapped: [String: String] = [:]
    /// Workers whose personal data was erased: their keys are gone, and none is made again.
    var erased: Set<String> = []

    static func path(in folder: String) -> String { folder + "/keys/data-keys.json" }

    /// Reads the store at `path`; a missing file is an empty store.
    ///
    /// Only a missing one: a file that is there and cannot be read (not this user's to read, a
    /// folder, a failing disk) was taken for an empty store too, and the next worker's new key
    /// was saved in a store of that key alone, over the file holding every other worker's: an
    /// `append` by another user of a group-writable data folder made all earlier personal data
    /// unreadable for good. Such a file stops whatever needed it.
    static func load(path: String) throws(LedgerError) -> KeyStore {
        let data: [UInt8]
        do { data = try WholeFile.read(path) } catch {
            if error == .missing { return KeyStore() }
            throw LedgerError(.storage, "cannot read the data-key file \(path): \(error.reason); nothing that needs the data keys is done without it")
        }
        let damaged = LedgerError(.storage, "the data-key file \(path) is damaged or not one this careledger wrote")
        var document = JSONDocument()
        do { try document.parse(data) } catch { throw damaged }
        let root = document.root
        guard document.kind(root) == .object, let format = document.member(root, named: "format"),
              document.kind(format) == .string, document.string(format) == Self.format else { throw damaged }
        var store = KeyStore()
        if let id = document.member(root, named: "masterKeyId"), document.kind(id) == .string { store.masterKeyID = document.string(id) }
        if let keys = document.member(root, named: "keys") {
            guard document.kind(keys) == .object else { throw damaged }
            store.wrapped.reserveCapacity(document.count(keys))
            for (worker, sealed) in document.members(keys) {
                guard document.kind(sealed) == .string else { throw damaged }
                store.wrapped[document.string(worker)] = document.string(sealed)
            }
        }
        if let erased = document.member(root, named: "erased") {
            guard document.kind(erased) == .array else { throw damaged }
            store.erased = Set(document.elements(erased).map { document.string($0) })
        }
        return store
    }

    /// The file's bytes: canonical JSON (members and workers in order), one store.
    var encoded: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.writeRaw("{\"erased\":[")
        for (i, worker) in erased.sorted().enumerated() {
            if i > 0 { writer.writeRaw(",") }
            writer.writeString(worker)
        }
        writer.writeRaw("],\"format\":")
        writer.writeString(Self.format)
        writer.writeRaw(",\"keys\":{")
        // Worker refs are ASCII (SPEC section 1), so byte order is RFC 8785's UTF-16 order.
        for (i, entry) in wrapped.sorted(by: { $0.key < $1.key }).enumerated() {
            writer.writeRaw(i > 0 ? ",\n" : "\n")
            writer.writeString(entry.key)
            writer.writeRaw(":")
            writer.writeString(entry.value)
        }
        writer.writeRaw("},\"masterKeyId\":")
        if let masterKeyID { writer.writeString(masterKeyID) } else { writer.writeRaw("null") }
        writer.writeRaw("}\n")
        return writer.bytes
    }

    func save(path: String) throws(LedgerError) {
        do {
            try FileManager.default.createDirectory(atPath: FolderPath.parent(of: path), withIntermediateDirectories: true)
        } catch {
            throw LedgerError(.storage, "cannot create the folder of \(path): \(error.localizedDescription)")
        }
        try DurableFile.replace(path, with: encoded, permissions: 0o600)
    }

    // MARK: Wrapping

    static func wrap(_ dataKey: SymmetricKey, for worker: String, under master: MasterKey) throws(LedgerError) -> String {
        do {
            let sealed = try dataKey.withUnsafeBytes { raw in
                try AES.GCM.seal(Array(raw), using: master.key, authenticating: associatedData(worker))
            }
            return sealed.combined!.base64EncodedString()
        } catch {
            throw LedgerError(.storage, "wrapping the data key of \(worker) failed: \(error)")
        }
    }

    func unwrap(_ worker: String, under master: MasterKey) throws(LedgerError) -> SymmetricKey? {
        guard let sealed = wrapped[worker] else { return nil }
        try requireMaster(master)
        do {
            guard let combined = Data(base64Encoded: sealed) else { throw DamagedKey() }
            let box = try AES.GCM.SealedBox(combined: combined)
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: Self.associatedData(worker)))
        } catch {
            throw LedgerError(.storage, "the data key of \(worker) does not open with the master key \(master.id): the data-key file is damaged")
        }
    }

    private struct DamagedKey: Error {}

    /// Refuses a master key other than the one these keys are wrapped with, naming both.
    func requireMaster(_ master: MasterKey) throws(LedgerError) {
        if let masterKeyID, masterKeyID != master.id {
            throw LedgerError(.usage, "the master key given (id \(master.id)) is not this ledger's (id \(masterKeyID)): give the key file made by `careledger keys init` or by the last `careledger keys rotate-master`")
        }
    }

    /// Binds a wrapped key to its worker: a key moved to another worker's entry does not open.
    private static func associatedData(_ worker: String) -> [UInt8] { Array("careledger data key of \(worker)".utf8) }
}
