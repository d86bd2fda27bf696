internal import Crypto
internal import Foundation

/// The operator's master key. It wraps every worker's data key and is never stored in the data
/// folder: the operator keeps it in a file (`--master-key FILE`, `CARELEDGER_MASTER_KEY_FILE`) or
/// in the environment (`CARELEDGER_MASTER_KEY`, base64), so that a copy of the data folder alone
/// holds no readable personal data.
public struct MasterKey: Sendable {
    let key: SymmetricKey
    /// A public name for the key (16 hex digits of a SHA-256 over it), stored with the data keys
    /// so that a wrong key is named as wrong rather than failing obscurely.
    public let id: String
    /// The key file it was read from, if any: a long-running process reads it again when the
    /// ledger's keys were rotated after it started (``PersonalDataVault``).
    public let file: String?

    init(key: SymmetricKey, file: String? = nil) {
        self.key = key
        self.file = file
        let digest = key.withUnsafeBytes { raw in
            SHA256.hash(data: Array("careledger master key".utf8) + Array(raw))
        }
        self.id = digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random 256-bit key.
    public static func generate() -> MasterKey { MasterKey(key: SymmetricKey(size: .bits256)) }

    /// The key as the key file holds it: base64 of its 32 bytes.
    public var text: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// Parses the base64 text of a key file or of `CARELEDGER_MASTER_KEY`; `source` names where
    /// it came from, for the error.
    public init(text: String, source: String, file: String? = nil) throws(LedgerError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            throw LedgerError(.usage, "\(source) is empty: it holds no master key. If it is the key's only copy, restore it from where the key is kept; if no key was ever written there, remove it and run `careledger keys init --master-key FILE`")
        }
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32 else {
            throw LedgerError(.usage, "\(source) does not hold a master key (base64 of 32 bytes); make one with `careledger keys init --master-key FILE`")
        }
        self.init(key: SymmetricKey(data: bytes), file: file)
    }

    /// Reads a key file, or a pipe (`--master-key <(vault read …)`: the key never on disk).
    public static func read(file path: String) throws(LedgerError) -> MasterKey {
        let bytes: [UInt8]
        do { bytes = try WholeFile.read(path, atMost: largestKeyFile) } catch {
            if case .larger = error {
                throw LedgerError(.usage, "the master key file \(path) holds more than \(byteSize(largestKeyFile)), where a master key is 45 bytes of base64: it is not a master key file")
            }
            let make = error == .missing ? "; make one with `careledger keys init --master-key \(ShellWord.quoted(path))`" : ""
            throw LedgerError(.usage, "cannot read the master key file \(path): \(error.reason)\(make)")
        }
        return try MasterKey(text: String(decoding: bytes, as: UTF8.self), source: "the master key file \(path)", file: path)
    }

    /// The most of a key file read: far more than the 45 bytes of a key and a line end, so
    /// that `--master-key /dev/zero`, or a large file named by mistake, is refused at once.
    static let largestKeyFile = 4 << 10

    /// Writes the key to a new file, readable by its owner alone; an existing file is never replaced.
    public func write(toNewFile path: String) throws(LedgerError) {
        try DurableFile.create(path, with: Array((text + "\n").utf8), permissions: 0o600)
    }
}
