internal import Synchronization

/// How many connections each client address holds open, shared by every connection, so that one
/// client cannot take all of the server's file descriptors.
///
/// Idle and request timeouts bound how long a connection lives without use; they do not bound
/// how many one client opens and uses, each a descriptor of this process until it closes.
final class ClientConnections: Sendable {
    /// The most connections one address may hold at once; 0 for no cap.
    let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection from `client` and answers true, or answers false when `client`
    /// holds `limit` already (and counts nothing).
    func admit(_ client: String) -> Bool {
        counts.withLock { counts in
            let held = counts[client, default: 0]
            if limit > 0, held >= limit { return false }
            counts[client] = held + 1
            return true
        }
    }

    /// Forgets a connection of `client` that ``admit(_:)`` counted, now closed.
    func release(_ client: String) {
        counts.withLock { counts in
            let held = counts[client, default: 1] - 1
            counts[client] = held > 0 ? held : nil
        }
    }

    /// How many connections `client` holds now.
    func held(by client: String) -> Int { counts.withLock { $0[client, default: 0] } }
}
