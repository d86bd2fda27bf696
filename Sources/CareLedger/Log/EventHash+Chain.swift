internal import Crypto

extension EventHash {
    /// The link of SPEC section 2's chain: SHA-256 over the previous hash's 32 bytes followed by
    /// the canonical bytes. The ledger, its verification, the access log and audit packs all
    /// chain this way.
    static func chaining(_ previous: EventHash, _ canonical: [UInt8]) -> EventHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: canonical)
        // Copied out of the digest's own bytes: `Array(digest)` walked it as a sequence.
        return EventHash(bytes: hasher.finalize().withUnsafeBytes { Array($0) })
    }
}
