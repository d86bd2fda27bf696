public import LedgerJSON

extension EventCatalogue.Entry {
    /// Checks `event` against this schema alone: SPEC section 3's second check, with nothing of
    /// the log's (references and lifecycle rules need the ledger, and are checked when it appends).
    ///
    /// `record --show` writes an event to a file that is appended later, perhaps elsewhere: a
    /// slip in a field is best caught while its writer is still at the keyboard.
    /// - Throws: ``LedgerError`` `rejected`, naming the JSON pointer and the rule, as append would.
    public func checkSchema(_ event: JSONValue) throws(LedgerError) {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: event.compactText) } catch {
            throw LedgerError(.rejected, "not JSON: \(error)", pointer: "")
        }
        if let violation = SchemaValidator(document: document).validate(document.root, against: root) {
            throw LedgerError(.rejected, violation.rule, pointer: violation.pointer)
        }
    }
}
