internal import Hummingbird
internal import Prometheus
internal import CareLedger
internal import ReadModels
internal import ProjectionKit
internal import Synchronization

/// What `/metrics` shows (Prometheus text): requests and their latency by route and status,
/// append group sizes, and, read at each scrape, the log's head and each read model's lag.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let groupSizes: ValueHistogram
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

    /// The Prometheus text, with the head and read-model lags read now.
    func scrape(models: ReadModels) throws -> String {
        let head = try models.ledger.head().seq
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "careledger", metricName: "log_head", unitName: "seq",
                                                            helpText: "The seq of the last event in the log."), labels: []).set(Double(head.rawValue))
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
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.requestFinished(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        return response
    }
}
