public import Hummingbird
internal import NIOCore
public import CareLedger
public import ReadModels
internal import Logging
#if canImport(Glibc)
internal import Glibc
#endif

/// The HTTP endpoint of SPEC section 8 over one data folder, on Hummingbird 2.
///
/// `careledger serve` and the tests build the same application here. Every route checks its
/// role (SPEC section 8); with no tokens at all every role is granted, so the server then binds
/// loopback only and refuses any other address.
public enum CareLedgerServer {
    /// The largest body `POST /v1/events` reads (SPEC section 8: 16 MiB).
    public static let maximumBody = 16 * 1024 * 1024

    /// The application serving `models` on `host:port` (`port` 0 picks a free port);
    /// `onRunning` receives the address it listens on, such as `http://127.0.0.1:8080`.
    /// With `logRequests`, each request is written as a line on standard error (``RequestLogMiddleware``);
    /// with `verifyEvery`, the whole log is verified at start and then on that schedule, each
    /// run's finding given to `note` (``PeriodicVerification``); a subscription with nothing new
    /// for `heartbeat` is sent a comment line, which keeps proxies from closing it as idle;
    /// `limits` bound how long and how many connections a client holds (``ConnectionLimits``);
    /// `sheets` reads posted workbooks (``SheetReader``: `serve` reads each in a child process),
    /// and a child that ended without an answer is counted in `/metrics` and given to `note`.
    public static func application(
        models: ReadModels, access: AccessControl, host: String = "127.0.0.1", port: Int = 8080, logRequests: Bool = false,
        verifyEvery: Duration? = nil, heartbeat: Duration = defaultHeartbeat, limits: ConnectionLimits = .init(),
        sheets: SheetReader = .inProcess, note: @escaping @Sendable (String) -> Void = { _ in }, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws(LedgerError) -> some ApplicationProtocol {
        guard access.hasTokens || isLoopback(host) else {
            throw LedgerError(.usage, "no access tokens exist, so careledger serves loopback only (127.0.0.1 or ::1), not \(host): make one first with careledger tokens add NAME --role ROLE")
        }
        if !isLoopback(host) { access.closeWhenEmpty() }
        let logger = Logger(label: "careledger") { ServerLogHandler(label: $0) }
        let accessLog = try AccessLog(dataFolder: models.ledger.folder)
        let metrics = ServerMetrics()
        let lastVerification = LastVerification()
        let verification = sharedVerification(of: models, metrics: metrics, last: lastVerification)
        let sheets = sheets.reporting { line in
            metrics.workbookReaderStopped()
            note(line)
        }
        let router = router(models: models, accessLog: accessLog, access: access, logRequests: logRequests, metrics: metrics,
                            verification: verification, lastVerification: lastVerification, heartbeat: heartbeat, sheets: sheets)
        return Application(
            responder: HeadResponder(inner: router.buildResponder()),
            server: limits.server(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "careledger"),
            services: verifyEvery.map { [PeriodicVerification(interval: $0, verification: verification, note: note)] } ?? [],
            onServerRunning: { channel in
                let address = channel.localAddress
                let shown = address?.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? host
                await onRunning("http://\(shown):\(address?.port ?? port)")
            },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    public static func serve(
        models: ReadModels, access: AccessControl, host: String, port: Int, logRequests: Bool = false,
        verifyEvery: Duration? = nil, heartbeat: Duration = defaultHeartbeat, limits: ConnectionLimits = .init(),
        sheets: SheetReader = .childProcess(),
        note: @escaping @Sendable (String) -> Void = { _ in }, onRunning: @escaping @Sendable (String) async -> Void
    ) async throws {
        let app = try application(models: models, access: access, host: host, port: port, logRequests: logRequests,
                                  verifyEvery: verifyEvery, heartbeat: heartbeat, limits: limits, sheets: sheets, note: note, onRunning: onRunning)
        do {
            try await app.runService()
        } catch let error as IOError {
            throw listenFailure(error, host: host, port: port) ?? error
        } catch is SocketAddressError.UnknownHost {
            throw LedgerError(.usage, "cannot listen on \(host): it is not an address, and no host of that name is known (--host takes an address of this machine, such as 127.0.0.1 or 0.0.0.0)")
        }
    }

    /// What stops the server listening on `host:port`, in words, for the errors an operator
    /// meets: the port taken (another `serve` still running), a port under 1024 without the
    /// privilege, an address that is not this machine's. NIO's own words name a system call.
    static func listenFailure(_ error: IOError, host: String, port: Int) -> LedgerError? {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        switch error.errnoCode {
        case EADDRINUSE:
            return LedgerError(.usage, "cannot listen on \(address): another program is listening there (another careledger serve?); stop it, or choose another port with --port (0 picks a free one)")
        case EACCES:
            return LedgerError(.usage, "cannot listen on \(address): ports under 1024 need privileges this user lacks; choose --port 1024 or above, behind a proxy on the usual port")
        case EADDRNOTAVAIL:
            return LedgerError(.usage, "cannot listen on \(address): \(host) is not an address of this machine")
        default:
            return nil
        }
    }

    /// Every route of the endpoint.
    static func router(models: ReadModels, accessLog: AccessLog, access: AccessControl, logRequests: Bool,
                       metrics: ServerMetrics, verification: SharedRun<VerificationReport>,
                       lastVerification: LastVerification, heartbeat: Duration, sheets: SheetReader) -> Router<BasicRequestContext> {
        let router = Router()
        // First, so that it sees every answer as sent, refusals and problems included.
        if logRequests { router.add(middleware: RequestLogMiddleware(access: access, metrics: metrics)) }
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: PrivateResponseMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: ServedPathsMiddleware())
        router.get("metrics") { _, _ in
            let text = try await blocking { try metrics.scrape(models: models) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        // Every request that takes the log's write lock, one at a time, off the pool (``Lane``).
        let writes = Lane("log-writes")
        // Catch-ups of the read models, which take their own write lock, one at a time too.
        let readModelWrites = Lane("read-model-writes")
        addIntegrityRoutes(to: router, models: models, access: access, verification: verification, readModelWrites: readModelWrites)
        addEventRoutes(to: router, models: models, accessLog: accessLog, access: access, metrics: metrics, writes: writes, sheets: sheets)
        addReadModelRoutes(to: router, models: models, access: access, readModelWrites: readModelWrites)
        addSubscribeRoute(to: router, models: models, accessLog: accessLog, access: access, metrics: metrics, heartbeat: heartbeat)
        addPersonalDataRoutes(to: router, models: models, accessLog: accessLog, access: access, writes: writes)
        addDashboardRoutes(to: router, models: models, access: access, verification: verification, lastVerification: lastVerification,
                           readModelWrites: readModelWrites)
        addRecordPage(to: router, models: models, access: access, writes: writes, sheets: sheets)
        addCorrectPage(to: router, models: models, access: access, accessLog: accessLog, writes: writes)
        return router
    }

    /// A whole verification at a time, shared by the requests (and the schedule) that ask while
    /// one runs, each run counted in `metrics` and its finding kept in `last`.
    static func sharedVerification(of models: ReadModels, metrics: ServerMetrics, last: LastVerification) -> SharedRun<VerificationReport> {
        let lane = Lane("verification")
        return SharedRun {
            let started = ContinuousClock.now
            do {
                let report = try await lane.run { try models.ledger.verify() }
                metrics.verificationFinished(report, seconds: (ContinuousClock.now - started).seconds)
                last.record(report)
                return report
            } catch {
                metrics.verificationFinished(nil, seconds: (ContinuousClock.now - started).seconds)
                last.record(nil, error: (error as? LedgerError)?.rule ?? "\(error)")
                throw error
            }
        }
    }

    /// Whether `host` names this machine only (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
