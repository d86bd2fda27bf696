internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import NIOCore
internal import ServiceLifecycle
internal import HTTPTypes
internal import LedgerJSON

extension CareLedgerServer {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// How long a caught-up subscriber waits before looking for new events again.
    static let followInterval: Duration = .milliseconds(100)

    /// How long a subscription may go without a byte before it is sent a comment line. Proxies
    /// and load balancers close a connection idle for about a minute (nginx's
    /// `proxy_read_timeout` is 60 s), and a programme past recruitment may append nothing for
    /// hours: the client would reconnect every minute, or, behind some proxies, wait on a
    /// connection that is gone.
    public static let defaultHeartbeat: Duration = .seconds(15)

    /// Up to a page of events as a subscriber is shown them (seq and JSON), and whether more are stored.
    typealias SubscriptionPage = (events: [(seq: UInt64, json: [UInt8])], more: Seq?)

    /// The heartbeat: an SSE comment, which clients (`EventSource`) read past without an event.
    static let heartbeatComment = ": heartbeat\n\n"

    /// `GET /v1/subscribe`: Server-Sent Events, catching up from `from` (or after `Last-Event-ID`)
    /// and then following new events live. Each subscriber reads the log at its own pace in its
    /// own read transactions, so a slow one never holds up appends or other subscribers. After
    /// `heartbeat` without an event it is sent ``heartbeatComment``.
    static func addSubscribeRoute(to router: Router<BasicRequestContext>, models: ReadModels, accessLog: AccessLog, access: AccessControl,
                                  metrics: ServerMetrics, heartbeat: Duration) {
        router.get("v1/subscribe") { request, _ in
            let caller = try access.caller(request, anyOf: [.staff, .auditor])
            let view = try personalDataView(request, caller: caller)
            var start = try number(request.uri.queryParameters["from"].map(String.init), name: "from", default: 1, minimum: 1)
            if let last = request.headers[lastEventID] {
                // Below Int.max: the seq after it must be one too (a client's header once
                // overflowed it and stopped the server).
                guard let seq = Int(last.filter { $0 != " " }), seq >= 0, seq < Int.max else {
                    throw LedgerError(.usage, "Last-Event-ID \"\(last)\" is not a seq: a whole number from 0 up, as the id: line of the last event received")
                }
                start = seq + 1
            }
            let ledger = models.ledger
            /// The events from `from`, up to a page, as this subscriber is shown them.
            @Sendable func readPage(from: Seq) async throws -> SubscriptionPage {
                try await blocking { () -> SubscriptionPage in
                    var events: [StoredEvent] = []
                    let more = try ledger.readEvents(EventFilter(from: from), limit: 500) { events.append($0) }
                    let shown = try serve(events, view: view, models: models, accessLog: accessLog, caller: caller, via: "GET /v1/subscribe")
                    return (zip(events, shown).map { ($0.seq.rawValue, $1) }, more)
                }
            }
            // The first page is read before the answer starts, so that a subscription refused
            // at once (a reveal the server cannot make) is answered with its status.
            let first = Seq(UInt64(start))
            let firstPage = try await readPage(from: first)
            let body = ResponseBody { writer in
                metrics.subscription(open: true)
                defer { metrics.subscription(open: false) }
                var next = first
                var lastWritten = ContinuousClock.now
                var unsent: SubscriptionPage? = firstPage
                // Live subscriptions never end by themselves: a graceful shutdown ends them, and
                // a failure to read or show the next events ends them saying why, as an event
                // `problem` holding the problem details, after which a client may resume.
                do {
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        // Read just before it is written, so that a reveal is recorded only for
                        // events a subscription still open is sent.
                        let page: SubscriptionPage
                        if let read = unsent.take() { page = read } else { page = try await readPage(from: next) }
                        if let last = page.events.last {
                            var buffer = ByteBuffer()
                            for (seq, json) in page.events {
                                buffer.writeString("id: \(seq)\ndata: ")
                                buffer.writeBytes(json)
                                buffer.writeString("\n\n")
                            }
                            try await writer.write(buffer)
                            lastWritten = .now
                            next = Seq(last.seq + 1)
                        } else if ContinuousClock.now - lastWritten >= heartbeat {
                            try await writer.write(ByteBuffer(string: heartbeatComment))
                            lastWritten = .now
                        }
                        if page.more == nil { try await Task.sleep(for: followInterval) }
                    }
                } catch is CancellationError {
                } catch let error as LedgerError {
                    try await writer.write(ByteBuffer(string: "event: problem\ndata: \(Problem.body(for: error).compactText)\n\n"))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }
}
