/// This release of CareLedger, raised by hand when one is made: what `careledger --version`
/// and the server's `careledger_build_info` metric name, beside the schemas' fingerprint
/// (``EventCatalogue/schemaFingerprint``).
public enum CareLedgerRelease {
    public static let version = "1.0.0"
}
