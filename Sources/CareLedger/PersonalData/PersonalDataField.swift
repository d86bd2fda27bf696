internal import Crypto
internal import Foundation
internal import LedgerJSON

/// The two members of SPEC section 6 that hold personal data, and how each is stored:
/// `{"ciphertext": "<base64 of nonce, ciphertext and tag>"}` in place of the value.
enum PersonalDataField: String, Sendable, CaseIterable {
    /// `WorkerRegistered.data.pii`: the worker's own key.
    case pii
    /// `SupportProvided.data.notes`: the key of the worker whose case it is.
    case notes

    /// The one event type that carries this member.
    var eventType: EventType { self == .pii ? .workerRegistered : .supportProvided }

    /// What a read shows instead of the value unless it is revealed.
    static let redacted: [UInt8] = Array("\"[redacted]\"".utf8)
    /// What every read shows once the worker's key is destroyed.
    static let erased: [UInt8] = Array("\"[erased]\"".utf8)

    /// The canonical bytes that open the stored value, up to the base64 text.
    var storedPrefix: [UInt8] { Array("\"\(rawValue)\":{\"ciphertext\":\"".utf8) }

    /// ``storedPrefix``, made once: every read looks for it.
    var prefixBytes: [UInt8] { self == .pii ? Self.piiPrefix : Self.notesPrefix }
    private static let piiPrefix = PersonalDataField.pii.storedPrefix
    private static let notesPrefix = PersonalDataField.notes.storedPrefix

    /// Binds a ciphertext to its event and member: moved elsewhere, it does not open.
    func associatedData(eventID: String) -> [UInt8] { Array("careledger \(rawValue) of event \(eventID)".utf8) }

    /// The length of the base64 text sealing `plaintextCount` bytes (12-byte nonce, 16-byte tag).
    static func sealedTextCount(plaintextCount: Int) -> Int { (12 + plaintextCount + 16 + 2) / 3 * 4 }

    /// Seals `plaintext` (the canonical JSON of the value) and returns the base64 text.
    static func seal(_ plaintext: [UInt8], with key: SymmetricKey, associatedData: [UInt8]) throws(LedgerError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: associatedData)
            return Array(box.combined!.base64EncodedString().utf8)
        } catch {
            throw LedgerError(.storage, "encrypting personal data failed: \(error)")
        }
    }

    /// Opens base64 `text`; `nil` when it does not open with `key` (damaged, or moved).
    static func open(_ text: some Collection<UInt8>, with key: SymmetricKey, associatedData: [UInt8]) -> [UInt8]? {
        guard let combined = Data(base64Encoded: Data(text)),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plaintext = try? AES.GCM.open(box, using: key, authenticating: associatedData) else { return nil }
        return Array(plaintext)
    }
}

/// Where an event's stored personal data sits in its canonical bytes.
struct CiphertextSlot: Equatable {
    let field: PersonalDataField
    /// The whole stored value, `{"ciphertext":"…"}`.
    let value: Range<Int>
    /// The base64 text inside it.
    let text: Range<Int>

    /// The slot of the personal data in `bytes` (canonical, stored or served), searched before
    /// `end`, the end of `data`. Canonical form makes the pattern exact, and a JSON string cannot
    /// hold it unescaped, so a match is the member itself.
    static func find(in bytes: [UInt8], before end: Int) -> CiphertextSlot? {
        for field in PersonalDataField.allCases {
            let prefix = field.prefixBytes
            guard let start = ByteSearch.firstOffset(of: prefix, in: bytes, before: end) else { continue }
            let textStart = start + prefix.count
            guard let quote = bytes[textStart..<end].firstIndex(of: UInt8(ascii: "\"")),
                  quote + 1 < end, bytes[quote + 1] == UInt8(ascii: "}") else { return nil }
            let valueStart = start + field.rawValue.utf8.count + 3
            return CiphertextSlot(field: field, value: valueStart..<(quote + 2), text: textStart..<quote)
        }
        return nil
    }
}
