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
    /// Each worker's data key, sealed by the master key (nonce, ciphertext and tag).
    var wrapped: [String: [UInt8]] = [:]
    /// Workers whose personal data was erased: their keys are gone, and none is made again.
    var erased: Set<String> = []

    static func path(in folder: String) -> String { folder + "/keys/data-keys.json" }

    /// Reads the store at `path`; a missing file is an empty store.
    static func load(path: String) throws(LedgerError) -> KeyStore {
        guard let data = FileManager.default.contents(atPath: path) else { return KeyStore() }
        let damaged = LedgerError(.storage, "the data-key file \(path) is damaged or not one this careledger wrote")
        guard let value = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
              value["format"]?.stringValue == format else { throw damaged }
        var store = KeyStore(masterKeyID: value["masterKeyId"]?.stringValue)
        for (worker, sealed) in value["keys"]?.objectValue ?? [] {
            guard let text = sealed.stringValue, let bytes = Data(base64Encoded: text) else { throw damaged }
            store.wrapped[worker] = Array(bytes)
        }
        store.erased = Set((value["erased"]?.arrayValue ?? []).compactMap(\.stringValue))
        return store
    }

    /// The file's bytes: canonical JSON, one store.
    var encoded: [UInt8] {
        let keys = wrapped.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string(Data($0.value).base64EncodedString())) }
        let value: JSONValue = .object([
            ("format", .string(Self.format)),
            ("masterKeyId", masterKeyID.map(JSONValue.string) ?? .null),
            ("keys", .object(keys)),
            ("erased", .array(erased.sorted().map(JSONValue.string))),
        ])
        return value.canonicalBytes + [UInt8(ascii: "\n")]
    }

    func save(path: String) throws(LedgerError) {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(.storage, "cannot create the folder of \(path): \(error.localizedDescription)")
        }
        try DurableFile.replace(path, with: encoded, permissions: 0o600)
    }

    // MARK: Wrapping

    static func wrap(_ dataKey: SymmetricKey, for worker: String, under master: MasterKey) throws(LedgerError) -> [UInt8] {
        do {
            let sealed = try dataKey.withUnsafeBytes { raw in
                try AES.GCM.seal(Array(raw), using: master.key, authenticating: associatedData(worker))
            }
            return Array(sealed.combined!)
        } catch {
            throw LedgerError(.storage, "wrapping the data key of \(worker) failed: \(error)")
        }
    }

    func unwrap(_ worker: String, under master: MasterKey) throws(LedgerError) -> SymmetricKey? {
        guard let sealed = wrapped[worker] else { return nil }
        try requireMaster(master)
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: Self.associatedData(worker)))
        } catch {
            throw LedgerError(.storage, "the data key of \(worker) does not open with the master key \(master.id): the data-key file is damaged")
        }
    }

    /// Refuses a master key other than the one these keys are wrapped with, naming both.
    func requireMaster(_ master: MasterKey) throws(LedgerError) {
        if let masterKeyID, masterKeyID != master.id {
            throw LedgerError(.usage, "the master key given (id \(master.id)) is not this ledger's (id \(masterKeyID)): give the key file made by `careledger keys init` or by the last `careledger keys rotate-master`")
        }
    }

    /// Binds a wrapped key to its worker: a key moved to another worker's entry does not open.
    private static func associatedData(_ worker: String) -> [UInt8] { Array("careledger data key of \(worker)".utf8) }
}
