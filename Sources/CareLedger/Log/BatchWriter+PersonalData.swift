internal import LMDBStore
internal import LedgerJSON
internal import Crypto

/// Personal data at the door (SPEC section 6): sealed under its worker's key inside the write
/// transaction, so that an erasure recorded before it refuses it and one recorded after it
/// destroys the key it was sealed with.
extension BatchWriter {
    /// The base64 ciphertext of `personal`, sealed under its worker's key (made if new) and
    /// bound to the event's id and member.
    func seal(
        _ personal: PersonalDataToSeal, of facts: EventFacts, eventID: EventID,
        reject: (String, String, LedgerError.Code) -> LedgerError
    ) throws -> [UInt8] {
        let pointer = "/data/\(personal.field.rawValue)"
        guard let worker = try db.personalDataOwner(personal.field, facts: facts, in: txn) else {
            throw reject(pointer, "names no worker whose key could seal it", .rejected)
        }
        if try vault.isErased(worker) || keyChanges.erased.contains(worker) {
            throw reject(pointer, "the personal data of worker \(worker) was erased; none is recorded for this worker again (send the event without it)", .rejected)
        }
        let key: SymmetricKey
        switch Result(catching: { () throws(LedgerError) in try vault.sealingKey(for: worker, changes: &keyChanges) }) {
        case .success(let made): key = made
        case .failure(let error) where [.rejected, .unavailable].contains(error.code): throw reject(pointer, error.rule, error.code)
        case .failure(let error): throw error
        }
        let sealed = try PersonalDataField.seal(personal.plaintext, with: key, associatedData: personal.field.associatedData(eventID: eventID.description))
        guard sealed.count == personal.text.count else {
            throw LedgerError(.storage, "the ciphertext of \(pointer) is \(sealed.count) characters, not the \(personal.text.count) reserved")
        }
        return sealed
    }

    /// The plaintext of a stored event's personal data, to compare a re-sent event with it.
    func storedPlaintext(
        _ stored: StoredEvent, _ document: JSONDocument, field: PersonalDataField, text: ArraySlice<UInt8>, location: EventLocation
    ) throws -> [UInt8]? {
        guard let worker = try db.personalDataOwner(field, ofStored: document, in: txn) else { return nil }
        if try vault.isErased(worker) {
            throw LedgerError(.conflict, "the id is already stored (seq \(stored.seq)), and the personal data of worker \(worker) in it was erased, so a re-sent copy cannot be compared; send the event without its id, or not at all", location: location, pointer: "/id")
        }
        return try vault.open(text, field: field, of: document, worker: worker)
    }

    /// The seq of the `PersonalDataErased` of `worker`, if the log (or this batch) holds one.
    func erasure(of worker: String) throws -> Seq? {
        try seqs(inStream: StreamName(kind: "worker", id: worker)).first { try db.type(at: $0, in: txn) == .personalDataErased }
    }
}
