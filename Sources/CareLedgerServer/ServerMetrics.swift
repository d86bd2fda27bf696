internal import Hummingbird
internal import Prometheus
internal import CareLedger
internal import ReadModels
internal import ProjectionKit
internal import Synchronization
internal import LMDBStore

/// What `/metrics` shows (Prometheus text): requests and their latency by route and status,
/// append group sizes, verifications and what the last one found, and, read at each scrape, the
/// log's head and each read model's lag.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let groupSizes: ValueHistogram
    /// Subscriptions (`GET /v1/subscribe`) open now: each holds a connection and polls the log,
    /// so an operator watches this beside the requests.
    private let openSubscriptions: Gauge
    /// Each route's counter and latency histogram, made once: the registry checks names and
    /// labels and hashes them on every `make…`, a cost no request should pay.
    private let requestMetrics = Mutex<[RequestKey: RequestMetrics]>([:])

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct RequestMetrics {
        let count: Counter
        let duration: ValueHistogram
    }

    init() {
        groupSizes = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "append_group", unitName: "batches",
                                             helpText: "Batches committed together in one synced write transaction (group commit)."),
            labels: [], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
        openSubscriptions = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "subscriptions_open", unitName: "",
                                             helpText: "Event subscriptions (GET /v1/subscribe) open now."),
            labels: [])
        // Which release serves, checking events against which schemas: a dashboard can tell
        // servers apart, and an upgrade shows as the labels changing.
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "build", unitName: "info",
                                             helpText: "1, labelled with the release and the SHA-256 of the schemas compiled in (careledger --version)."),
            labels: [("version", CareLedgerRelease.version), ("schemas", EventCatalogue.schemaFingerprint)]).set(1.0)
    }

    /// A line of the request log could not be written (its disk full, say).
    func requestLogLineLost() {
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "request_log_lines_lost", unitName: "total",
                                                              helpText: "Lines of the request log (serve --log-requests) that could not be written, such as on a full disk."),
                             labels: []).increment()
    }

    /// A workbook's reader, a child process, ended without an answer (``SheetReader``).
    func workbookReaderStopped() {
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "workbook_readers_stopped", unitName: "total",
                                                              helpText: "Posted workbooks whose reader, a child process, ended without an answer (it crashed, met its limits, or could not start)."),
                             labels: []).increment()
    }

    /// A subscription began streaming (`true`) or ended (`false`).
    func subscription(open: Bool) {
        if open { openSubscriptions.increment() } else { openSubscriptions.decrement() }
    }

    /// One finished request.
    func requestFinished(route: String, method: String, status: Int, seconds: Double) {
        let key = RequestKey(route: route, method: method, status: status)
        let metrics = requestMetrics.withLock { known in
            if let metrics = known[key] { return metrics }
            let made = makeRequestMetrics(key)
            known[key] = made
            return made
        }
        metrics.count.increment()
        metrics.duration.record(seconds)
    }

    private func makeRequestMetrics(_ key: RequestKey) -> RequestMetrics {
        RequestMetrics(
            count: registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "http_requests", unitName: "total",
                                                 helpText: "HTTP requests by route, method and status."),
                labels: [("route", key.route), ("method", key.method), ("status", String(key.status))]),
            duration: registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "http_request_duration", unitName: "seconds",
                                                 helpText: "HTTP request latency by route."),
                labels: [("route", key.route)], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]))
    }

    /// One group commit of `size` batches.
    func groupCommitted(size: Int) { groupSizes.record(Double(size)) }

    /// One whole verification of the log (`GET /v1/verify`, the dashboard), which found `report`,
    /// or could not read the log (`nil`). An alert on `careledger_verification_last_intact == 0`
    /// tells an operator that the chain no longer verifies, without reading every answer.
    func verificationFinished(_ report: VerificationReport?, seconds: Double) {
        let result = report.map { $0.ok ? "intact" : "failed" } ?? "error"
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "verifications", unitName: "total",
                                                              helpText: "Whole verifications of the log by result: intact, failed (a bad seq found) or error (the log could not be read)."),
                             labels: [("result", result)]).increment()
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "verification_last", unitName: "intact",
                                                            helpText: "1 if the last verification found the log intact, 0 if it failed or could not read the log."),
                           labels: []).set(Double(report?.ok == true ? 1 : 0))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "verification_last_duration", unitName: "seconds",
                                                            helpText: "How long the last verification took."),
                           labels: []).set(seconds)
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "verification_last_finished", unitName: "timestamp_seconds",
                                                            helpText: "When the last verification ended, in seconds since 1970 (UTC)."),
                           labels: []).set(Double(Instant.now().microseconds) / 1_000_000)
        if let report, report.ok {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "verified_head", unitName: "seq",
                                                                helpText: "The seq up to which the last intact verification checked the log."),
                               labels: []).set(Double(report.head.seq.rawValue))
        }
    }

    /// The Prometheus text, with the head and read-model lags read now.
    func scrape(models: ReadModels) throws -> String {
        let head = try models.ledger.head().seq
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "log_head", unitName: "seq",
                                                            helpText: "The seq of the last event in the log."), labels: []).set(Double(head.rawValue))
        // The disk the ledger is on: an alert on it comes before an append fails for want of space.
        if let space = FileSystemSpace(holding: models.ledger.folder) {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "disk_free", unitName: "bytes",
                                                                helpText: "Bytes free on the file system holding the data folder."), labels: []).set(Double(space.free))
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "disk_size", unitName: "bytes",
                                                                helpText: "The size of the file system holding the data folder."), labels: []).set(Double(space.total))
        }
        for status in try models.store.status(against: models.ledger) {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "projection_lag", unitName: "events",
                                                                helpText: "Events of the log a read model has not folded in yet."),
                               labels: [("projection", status.name)]).set(Double(status.lag))
        }
        return registry.emitToString()
    }
}

/// Counts and times every request for ``ServerMetrics``, by the route's first two path segments
/// (any path the server does not serve counts as `other`, so that requests for made-up paths
/// cannot add metrics without bound).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let segments = request.uri.path.split(separator: "/").prefix(2)
        let path = "/" + segments.joined(separator: "/")
        let route = ServedPaths.routes.contains(path) ? path : "other"
        let response = try await next(request, context)
        metrics.requestFinished(route: route, method: request.method.rawValue, status: response.status.code, seconds: (ContinuousClock.now - started).seconds)
        return response
    }
}

extension Duration {
    /// The duration in seconds, as metrics record it.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
