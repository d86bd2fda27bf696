public import LedgerJSON

extension LogHead {
    /// `seq` and `hash`, as `careledger digest --json`, `GET /v1/digest` and every answer that
    /// names a head give them: a published digest in JSON.
    public var digestMembers: [(String, JSONValue)] {
        [("seq", .integer(Int64(seq.rawValue))), ("hash", .string(hash.description))]
    }

    /// ``digestMembers`` as one object, `{"seq": …, "hash": …}`.
    public var digestJSON: JSONValue { .object(digestMembers) }
}
