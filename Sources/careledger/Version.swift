import CareLedger
import ProjectionKit
import ReadModels

/// What `careledger --version` prints: the release, and what decides what it accepts and what
/// it computes, so that an auditor can name both beside figures: the schemas events are checked
/// against (``EventCatalogue/schemaFingerprint``) and each read model's version (a read model
/// is rebuilt from the log when its version changes).
enum Version {
    static var text: String {
        let models = ReadModels.projections.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
        return """
            careledger \(CareLedgerRelease.version)
            schemas: \(EventCatalogue.schemaFileCount) files, sha256 \(EventCatalogue.schemaFingerprint) (in a checkout: LC_ALL=C cat Schemas/*.json | sha256sum)
            read models: \(models)
            """
    }
}
