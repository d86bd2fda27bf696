internal import HummingbirdCore
internal import NIOCore

/// What keeps clients from holding the server's connections, each a file descriptor of this
/// process, until no one else can connect: by sending nothing, by sending slowly, or by opening
/// many.
public struct ConnectionLimits: Sendable {
    /// How long a connection may wait, between requests or before its first, before the server
    /// closes it: as long as nginx keeps an idle client's.
    public static let defaultIdleTimeout: Duration = .seconds(75)
    /// How long a client may take to send a whole request, counted from its connection's opening
    /// or its previous answer's end: room for a 16 MiB body at about 60 KB/s.
    public static let defaultRequestTimeout: Duration = .seconds(300)
    /// The most connections one client address may hold at once: far more than a browser (six)
    /// or a script opens, and few enough that one client leaves descriptors for the rest.
    public static let defaultConnectionsPerClient = 64

    /// A connection that sends nothing this long is closed (Hummingbird counts from the last
    /// byte read). A response being sent, a quiet subscription included, is never cut short.
    public var idleTimeout: Duration
    /// A request that has not arrived whole this long after its connection opened or its previous
    /// answer ended is answered 408, and its connection closed (``RequestDeadlineHandler``).
    public var requestTimeout: Duration
    /// A client holding this many connections has the next answered 503 (``ClientAdmissionHandler``);
    /// 0 for no cap.
    public var connectionsPerClient: Int

    public init(idleTimeout: Duration = defaultIdleTimeout, requestTimeout: Duration = defaultRequestTimeout,
                connectionsPerClient: Int = defaultConnectionsPerClient) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.connectionsPerClient = connectionsPerClient
    }

    /// Hummingbird's HTTP/1.1 server, keeping these limits.
    func server() -> HTTPServerBuilder {
        let clients = ClientConnections(limit: connectionsPerClient)
        let requestTimeout = requestTimeout
        return .http1(configuration: .init(
            // An autoclosure: made anew for each connection.
            additionalChannelHandlers: [ClientAdmissionHandler(connections: clients), RequestDeadlineHandler(timeout: requestTimeout)],
            idleTimeout: TimeAmount(idleTimeout)))
    }
}
