internal import Hummingbird
public import CareLedger
internal import Foundation

/// Who may call which route (SPEC section 8's table), from the token file, re-read when it
/// changes so that a revoked token stops working at once.
public final class AccessControl: @unchecked Sendable {
    // `cached` and `identity` are guarded by `lock`; everything else is immutable.
    private let lock = NSLock()
    private let path: String
    private var cached: TokenStore
    private var identity: FileIdentity?
    /// Whether an empty token file grants every role: only while serving loopback. Set once, before
    /// the server starts.
    private var openWhenEmpty = true

    /// Access as the token file at `path` says.
    public init(tokenFile path: String) throws(LedgerError) {
        self.path = path
        self.cached = try TokenStore(path: path)
        self.identity = FileIdentity(of: path)
    }

    /// Whether any token exists (without tokens every role is granted, on loopback only).
    public var hasTokens: Bool { (try? store())?.entries.isEmpty == false }

    /// The tokens as the file now holds them (re-read only if it changed): what `serve` checks
    /// for expiry when it starts, from the same reading the routes go by.
    public var tokens: TokenStore {
        get throws(LedgerError) { try store() }
    }

    /// Serving beyond loopback: from now on, a token file emptied by revocations grants nothing.
    func closeWhenEmpty() { lock.withLock { openWhenEmpty = false } }

    private var grantsAllWhenEmpty: Bool { lock.withLock { openWhenEmpty } }

    /// Whether `store` leaves the server open: no tokens, while serving loopback. Every role then
    /// goes to this machine's own user, and nothing to anyone else (``LocalUser``).
    private func isOpen(_ store: TokenStore) -> Bool { store.entries.isEmpty && grantsAllWhenEmpty }

    /// Who is calling, as the access log records it, and with which of the roles asked for.
    struct Caller: Sendable {
        /// `token:NAME`, or `loopback (no tokens)` while no tokens exist.
        let name: String
        /// The roles it holds among those the route allows (every role while no tokens exist).
        let roles: Set<Role>
        /// Every role it holds, whether or not the route asks for it.
        let held: Set<Role>
    }

    /// The roles the request holds among `allowed`, or a 401 or 403 problem.
    func require(_ request: Request, anyOf allowed: Set<Role>) throws -> Set<Role> {
        try caller(request, anyOf: allowed).roles
    }

    /// The caller and its roles among `allowed`, or a 401 or 403 problem.
    func caller(_ request: Request, anyOf allowed: Set<Role>) throws -> Caller {
        let store = try store()
        if isOpen(store) {
            if let (status, reason) = LocalUser.refusal(of: request) {
                throw HTTPError(status, headers: status == .unauthorized ? [.wwwAuthenticate: "Bearer"] : [:], message: reason)
            }
            return Caller(name: "loopback (no tokens)", roles: Set(Role.allCases), held: Set(Role.allCases))
        }
        if let refusal = CrossOriginWrite.refusal(of: request) { throw HTTPError(.forbidden, message: refusal) }
        guard let token = Self.token(of: request), let entry = store.entry(of: token) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                            message: "this route needs a token: send Authorization: Bearer TOKEN (careledger tokens add NAME --role ROLE makes one)")
        }
        if entry.hasExpired(at: .now()), let day = entry.validUntil {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""],
                            message: "the token \(entry.name) was valid until \(day) and no longer works: ask for a new one (careledger tokens add NAME --role ROLE)")
        }
        let granted = entry.roles.intersection(allowed)
        guard !granted.isEmpty else {
            throw HTTPError(.forbidden, message: "this token's roles (\(entry.roles.sorted().map(\.rawValue).joined(separator: ", "))) may not use this route; it needs one of \(allowed.sorted().map(\.rawValue).joined(separator: ", "))")
        }
        return Caller(name: "token:\(entry.name)", roles: granted, held: entry.roles)
    }

    /// Who a request says it is, for the request log: `token:NAME`, `loopback (no tokens)`, or
    /// `no token` / `unknown token` for a request that will be refused. Never the token itself.
    func callerName(of request: Request) -> String {
        guard let store = try? store() else { return "unreadable token file" }
        if isOpen(store) { return LocalUser.refusal(of: request) == nil ? "loopback (no tokens)" : "not this machine's user (no tokens)" }
        guard let token = Self.token(of: request) else { return "no token" }
        return store.entry(of: token).map { $0.hasExpired(at: .now()) ? "expired token:\($0.name)" : "token:\($0.name)" } ?? "unknown token"
    }

    /// Why `request` is refused while no tokens exist (it is not from this machine's own user,
    /// ``LocalUser``), or `nil`: with tokens, the token decides.
    func refusalWithoutTokens(_ request: Request) -> (status: HTTPResponse.Status, reason: String)? {
        guard let store = try? store(), isOpen(store) else { return nil }
        return LocalUser.refusal(of: request)
    }

    /// The roles a presented token holds (every role when no tokens exist and `request` is from
    /// this machine's own user, ``LocalUser``), or `nil`.
    func roles(of token: String?, in request: Request) throws -> Set<Role>? {
        let store = try store()
        if isOpen(store) { return LocalUser.refusal(of: request) == nil ? Set(Role.allCases) : nil }
        return token.flatMap { store.roles(of: $0) }
    }

    /// Whether the token `request` presents holds `role` (as ``roles(of:in:)`` finds it).
    func holds(_ role: Role, _ request: Request) throws -> Bool {
        try roles(of: Self.token(of: request), in: request)?.contains(role) == true
    }

    /// The name of the dashboard's cookie holding a signed-in token.
    static let cookieName = "careledger_token"

    /// The token a request presents: `Authorization: Bearer`, its scheme named in any case
    /// (RFC 9110 11.1: `bearer` is as good), else the dashboard's cookie.
    static func token(of request: Request) -> String? {
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return cookieToken(of: request)
    }

    /// The token the dashboard's cookie holds, if the request carries one.
    static func cookieToken(of request: Request) -> String? {
        for cookie in (request.headers[.cookie] ?? "").split(separator: ";") {
            let pair = cookie.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(cookieName + "="), pair.count > cookieName.count + 1 { return String(pair.dropFirst(cookieName.count + 1)) }
        }
        return nil
    }

    private func store() throws(LedgerError) -> TokenStore {
        let now = FileIdentity(of: path)
        let current: TokenStore? = lock.withLock { now == identity ? cached : nil }
        if let current { return current }
        let fresh: TokenStore
        do throws(LedgerError) {
            fresh = try TokenStore(path: path)
        } catch {
            // The server is up but can check no token: unavailable (503) until the file is
            // mended, not a failure of the request, and never a token let through.
            throw LedgerError(.unavailable, "no request can be checked against the access tokens until the token file is mended: \(error.description)")
        }
        lock.withLock {
            cached = fresh
            identity = now
        }
        return fresh
    }
}

extension Set where Element == Role {
    /// Whether these roles see only published figures (a board, and nothing more).
    var publishedOnly: Bool { isDisjoint(with: [.staff, .auditor]) }
}
