internal import Crypto
internal import Foundation

/// Access tokens: a name, its roles, and only the SHA-256 of the token itself, kept in one JSON
/// file (default `DATA/tokens.json`). The token is shown once, when made; a lost token is revoked
/// and made again. A token may be made valid until a day, after which it is refused: a provider's
/// return window or a contractor's engagement ends, and the token with it, without anyone having
/// to remember to revoke it.
public struct TokenStore: Sendable {
    /// One token as stored.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let roles: Set<Role>
        /// Lowercase hex SHA-256 of the token.
        public let hash: String
        public let created: String
        /// The last day (UTC) the token works, if it was given one.
        public let validUntil: LocalDate?

        /// Whether the token no longer works at `now`: its last day has passed.
        public func hasExpired(at now: Instant) -> Bool { validUntil.map { now.date > $0 } ?? false }
    }

    /// The file the tokens live in.
    public let path: String
    /// The tokens, by name order.
    public private(set) var entries: [Entry]

    /// The default token file of a data folder.
    public static func defaultPath(in dataFolder: String) -> String { dataFolder + "/tokens.json" }

    /// Reads the token file at `path` (none yet is an empty store).
    public init(path: String) throws(LedgerError) {
        self.path = path
        // Only a file that is not there is no tokens: one that cannot be read (its folder not
        // this user's to search, say) was taken for none, which on loopback grants every role.
        let bytes: [UInt8]
        do { bytes = try WholeFile.read(path) } catch {
            guard error == .missing else { throw LedgerError(.storage, "cannot read the token file \(path): \(error.reason)") }
            entries = []
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let list = object["tokens"] as? [[String: Any]] else {
            throw LedgerError(.storage, "the token file \(path) is not a token file this careledger wrote")
        }
        entries = try list.map { item throws(LedgerError) in
            guard let name = item["name"] as? String, let hash = item["hash"] as? String, let roles = item["roles"] as? [String] else {
                throw LedgerError(.storage, "the token file \(path) has an entry without a name, roles or hash")
            }
            var validUntil: LocalDate?
            if let day = item["validUntil"] as? String {
                guard let date = LocalDate(day) else { throw LedgerError(.storage, "the token file \(path) gives token \(name) a validUntil that is no date: \(day)") }
                validUntil = date
            }
            return Entry(name: name, roles: Set(roles.compactMap(Role.init(rawValue:))), hash: hash, created: item["created"] as? String ?? "",
                         validUntil: validUntil)
        }
    }

    /// Makes a token called `name` with `roles`, stores its hash, and returns the token (shown once).
    /// - Parameter validUntil: the last day (UTC) it works, today or later; `nil` until revoked.
    public mutating func add(name: String, roles: Set<Role>, validUntil: LocalDate? = nil, now: Instant = .now()) throws(LedgerError) -> String {
        guard !name.isEmpty, name.utf8.count <= 64, EntityID.isWellFormed(name.utf8) else {
            throw LedgerError(.usage, "a token name is \(EntityID.form), not \"\(name)\"")
        }
        guard !roles.isEmpty else { throw LedgerError(.usage, "give the token at least one --role: writer, staff, auditor or board") }
        if let validUntil, validUntil < now.date {
            throw LedgerError(.usage, "--valid-until \(validUntil) has passed (today is \(now.date) in UTC): give today or a later day")
        }
        guard !entries.contains(where: { $0.name == name }) else {
            throw LedgerError(.conflict, "a token called \(name) exists; revoke it first (careledger tokens revoke \(name))")
        }
        var random = SystemRandomNumberGenerator()
        let secret = (0..<4).map { _ in String(random.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        let token = "cl_" + secret
        entries.append(Entry(name: name, roles: roles, hash: Self.hash(token), created: now.description, validUntil: validUntil))
        entries.sort { $0.name < $1.name }
        try save()
        return token
    }

    /// Removes the token called `name`.
    public mutating func revoke(name: String) throws(LedgerError) {
        guard entries.contains(where: { $0.name == name }) else {
            let names = entries.map(\.name)
            let known = names.isEmpty ? "there are no tokens" : "the tokens are " + names.sorted().joined(separator: ", ")
            throw LedgerError(.notFound, "no token is called \(name); \(known)")  // no guess: revoking the wrong one locks someone out
        }
        entries.removeAll { $0.name == name }
        try save()
    }

    /// The entry of `token`, or `nil` for an unknown one. Every stored hash is compared, in
    /// constant time, whatever matches, so timing tells nothing about which tokens exist.
    public func entry(of token: String) -> Entry? {
        let presented = Array(Self.hash(token).utf8)
        var found: Entry?
        for entry in entries {
            let stored = Array(entry.hash.utf8)
            var difference: UInt8 = stored.count == presented.count ? 0 : 1
            for i in 0..<min(stored.count, presented.count) { difference |= stored[i] ^ presented[i] }
            if difference == 0 { found = entry }
        }
        return found
    }

    /// The roles of `token` at `now`, or `nil` for an unknown or expired one.
    public func roles(of token: String, at now: Instant = .now()) -> Set<Role>? {
        entry(of: token).flatMap { $0.hasExpired(at: now) ? nil : $0.roles }
    }

    static func hash(_ token: String) -> String {
        EventHash(SHA256.hash(data: Array(token.utf8))).description
    }

    /// Writes the file whole, synced, then renames it into place: never half-written.
    private func save() throws(LedgerError) {
        let list: [[String: Any]] = entries.map { entry in
            var item: [String: Any] = ["name": entry.name, "roles": entry.roles.sorted().map(\.rawValue), "hash": entry.hash, "created": entry.created]
            if let validUntil = entry.validUntil { item["validUntil"] = validUntil.description }
            return item
        }
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: ["tokens": list], options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw LedgerError(.storage, "cannot write the token file \(path): \(error)")
        }
        try DurableFile.replace(path, with: Array(data), permissions: 0o600)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
