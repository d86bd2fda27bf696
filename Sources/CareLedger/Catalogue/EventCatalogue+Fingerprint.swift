internal import Crypto

extension EventCatalogue {
    /// The SHA-256 of the schema files built into this binary, as lowercase hex: their bytes in
    /// the order of their names, each ending in a line break, as `Schemas/` holds them. So
    /// `LC_ALL=C cat Schemas/*.json | sha256sum` gives it from a checkout. Two binaries that print
    /// the same fingerprint check events against the same schemas: `careledger --version` prints
    /// it, so that an auditor can say which rules a ledger's events were checked by, and a
    /// provider which files its system was built against.
    public static let schemaFingerprint: String = {
        var hash = SHA256()
        for file in embeddedSchemaFiles.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            hash.update(data: Array((file.text.hasSuffix("\n") ? file.text : file.text + "\n").utf8))
        }
        return EventHash(hash.finalize()).description
    }()

    /// How many schema files are built into this binary, known without compiling them (as
    /// ``standard`` does): `--version` is read on every run of the command line.
    public static var schemaFileCount: Int { embeddedSchemaFiles.count }
}
