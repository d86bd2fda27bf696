internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import NIOCore
internal import ServiceLifecycle
internal import HTTPTypes

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
                guard let seq = Int(last.filter { $0 != " " }), seq >= 0 else {
                    throw LedgerError(.usage, "Last-Event-ID \"\(last)\" is not a seq")
                }
                start = seq + 1
            }
            let ledger = models.ledger
            let first = start
            let body = ResponseBody { writer in
                metrics.subscription(open: true)
                defer { metrics.subscription(open: false) }
                var next = Seq(UInt64(first))
                var lastWritten = ContinuousClock.now
                // Live subscriptions never end by themselves: a graceful shutdown ends them.
                do {
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        let from = next
                        let page = try await blocking { () -> ([(UInt64, [UInt8])], Seq?) in
                            var events: [StoredEvent] = []
                            let more = try ledger.readEvents(EventFilter(from: from), limit: 500) { events.append($0) }
                            let shown = try serve(events, view: view, models: models, accessLog: accessLog, caller: caller, via: "GET /v1/subscribe")
                            return (zip(events, shown).map { ($0.seq.rawValue, $1) }, more)
                        }
                        if let last = page.0.last {
                            var buffer = ByteBuffer()
                            for (seq, json) in page.0 {
                                buffer.writeString("id: \(seq)\ndata: ")
                                buffer.writeBytes(json)
                                buffer.writeString("\n\n")
                            }
                            try await writer.write(buffer)
                            lastWritten = .now
                            next = Seq(last.0 + 1)
                        } else if ContinuousClock.now - lastWritten >= heartbeat {
                            try await writer.write(ByteBuffer(string: heartbeatComment))
                            lastWritten = .now
                        }
                        if page.1 == nil { try await Task.sleep(for: followInterval) }
                    }
                } catch is CancellationError {}
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }
}
