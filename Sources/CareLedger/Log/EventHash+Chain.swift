internal import Crypto

extension EventHash {
    /// The link of SPEC section 2's chain: SHA-256 over the previous hash's 32 bytes followed by
    /// the canonical bytes. The ledger, its verification, the access log and audit packs all
    /// chain this way.
    static func chaining(_ previous: EventHash, _ canonical: [UInt8]) -> EventHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: canonical)
        return EventHash(hasher.finalize())
    }

    /// A SHA-256 digest as a hash of the ledger's, whose `description` is the lowercase hex that
    /// manifests, fingerprints and digests print.
    init(_ digest: SHA256.Digest) {
        // Copied out of the digest's own bytes: `Array(digest)` walked it as a sequence.
        self.init(bytes: digest.withUnsafeBytes { Array($0) })
    }
}
