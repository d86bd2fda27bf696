import ArgumentParser
import CareLedger
import CareLedgerServer
import ReadModels
import Foundation

/// `careledger serve`: the HTTP endpoint of SPEC section 8.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger and its read models over HTTP, with access tokens (loopback only without them).",
        discussion: """
            Prints the address it listens on, then serves until SIGINT or SIGTERM, finishing requests \
            in flight. --port 0 picks a free port. Every route checks its role against the tokens \
            (careledger tokens); with no tokens every role is granted and only loopback is served. \
            It speaks plain HTTP: beyond loopback, serve it behind a TLS proxy that sends \
            X-Forwarded-Proto: https (the dashboard's cookie is then marked Secure), and make \
            tokens first: without them a request that came through a proxy is granted nothing.

            Examples:
              careledger serve --data ./demo
              curl -s 'localhost:8080/v1/caseload?asOf=2025-06-30'
              curl -s 'localhost:8080/v1/retention?period=2024-25&by=provider&publish=true'
              curl -s localhost:8080/v1/timeline/worker/W-00007
              curl -sH 'Accept: application/x-ndjson' 'localhost:8080/v1/events?limit=5'
              curl -s -X POST --data-binary @events.ndjson localhost:8080/v1/events
              TOKEN=$(careledger tokens add case-team --role staff)  # from now on, sent
              curl -s -H "Authorization: Bearer $TOKEN" localhost:8080/v1/caseload
              careledger serve --log-requests 2>> requests.log  # who asked for what
              careledger serve --verify-every 24h   # verified daily; see /metrics

            Personal data reads "[redacted]" on every route unless a staff token asks reveal=true, \
            which is recorded in the access log first; give the master key (--master-key FILE or \
            $CARELEDGER_MASTER_KEY_FILE) to accept or reveal it: without it, a batch carrying \
            personal data and a reveal are answered 503 (nothing written; the journal says why).
              export AUTH="Authorization: Bearer $TOKEN"   # a staff token, as above
              curl -sH "$AUTH" 'localhost:8080/v1/streams/worker-W-00007?reveal=true'
              echo '{"workerRef":"W-00007","requestReference":"DSR-1"}' > erasure.json
              curl -sH "$AUTH" -d @erasure.json localhost:8080/v1/erasures
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The token file (default: DATA/tokens.json); one named here must exist.", valueName: "file"))
    var tokens: String?

    @Option(help: ArgumentHelp("The address to listen on: loopback only (127.0.0.1 or ::1) while no access tokens exist.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The port to listen on, 1 to 65535; 0 picks a free one.", valueName: "port"))
    var port = 8080

    @Flag(help: "Write a line per request on standard error: time, caller (a token's name, never the token), method, path and query, status, milliseconds.")
    var logRequests = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Verify the whole log at start and then this often (24h, 30m, 90s, 7d), as GET /v1/verify does: /metrics then always shows whether the chain verifies, and each run writes a line on standard error.", valueName: "interval"), transform: OptionValue.interval)
    var verifyEvery: Interval?

    @Option(parsing: .unconditional, help: ArgumentHelp("Send each GET /v1/subscribe with nothing new a comment line (': heartbeat') this often, so that a proxy does not close it as idle (most close after about a minute). Default: 15s.", valueName: "interval"), transform: OptionValue.interval)
    var heartbeatEvery = Interval(CareLedgerServer.defaultHeartbeat)

    @Option(parsing: .unconditional, help: ArgumentHelp("Close a connection that has sent no request for this long (between requests, or before its first), so that clients cannot hold connections open, and this server's file descriptors with them, by sending nothing. A response being sent is never cut short. Default: 75s, as nginx keeps an idle client.", valueName: "interval"), transform: OptionValue.interval)
    var idleTimeout = Interval(ConnectionLimits.defaultIdleTimeout)

    @Option(parsing: .unconditional, help: ArgumentHelp("Answer 408 and close a connection whose request has not arrived whole this long after the connection opened or its previous answer ended, so that a client cannot hold a connection by sending a request a byte at a time (the idle timeout counts from the last byte). An answer being sent is never cut short. Default: 300s, room for a 16 MiB body at about 60 KB/s.", valueName: "interval"), transform: OptionValue.interval)
    var requestTimeout = Interval(ConnectionLimits.defaultRequestTimeout)

    @Option(parsing: .unconditional, help: ArgumentHelp("The most connections one client address may hold at once; its next is answered 503. Behind a proxy every client has the proxy's address: raise it to the proxy's own limit, or 0 for no cap.", valueName: "count"))
    var maxConnectionsPerClient = ConnectionLimits.defaultConnectionsPerClient

    @Option(help: ArgumentHelp("The program that reads a posted workbook (.xlsx, .ods, Excel XML, a web page), in a process of its own, so that a file that crashes the reader stops that process and not the server: run as PROGRAM workbook-sheet --source NAME [--sheet NAME], the file on its standard input. Default: this careledger. Name a script that runs careledger \"$@\" inside a sandbox (bwrap, firejail, systemd-run) to confine it further.", valueName: "program"))
    var workbookReader: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535 (0 picks a free port), not \(port)") }
        guard maxConnectionsPerClient >= 0 else {
            throw ValidationError("--max-connections-per-client must be 0 (no cap) or more, not \(maxConnectionsPerClient)")
        }
    }

    func run() async throws {
        let sheets = try Self.workbookReader(workbookReader)
        let ledger = try options.open(withoutMasterKey: .server)
        // The server folds new events in through its own lane before each query.
        let models = try ReadModels(ledger: ledger, catchingUpOnQueries: false)
        // A large log's read models can take a while to catch up before the first request.
        let line = ProgressLine()
        try models.catchUp { reached, head in
            line.show("catching up the read models", seq: reached, of: head)
        }
        line.end()
        let folder = options.folder
        try requireNamedTokenFile(tokens)
        let tokenFile = tokens ?? TokenStore.defaultPath(in: folder)
        let access = try AccessControl(tokenFile: tokenFile)
        for notice in Self.tokenNotices(try access.tokens, now: .now()) {
            StandardStream.error.write("careledger: \(notice)\n")
        }
        if ledger.vault.masterKey == nil, let held = try? ledger.vault.summary().workersWithKeys, held > 0 {
            StandardStream.error.write("careledger: note: \(Self.withoutMasterKeyNote(workersWithKeys: held))\n")
        }
        let note = access.hasTokens ? "every route needs a token" : "no tokens exist: every role is granted, on loopback only"
        if !CareLedgerServer.isLoopback(host) && access.hasTokens {  // without tokens it is refused, below
            StandardStream.error.write("""
                careledger: this server speaks plain HTTP: beyond loopback, put a TLS proxy in front (it should send \
                X-Forwarded-Proto: https), or tokens and the dashboard's cookie cross the network in clear.\n
                """)
        }
        let journal: @Sendable (String) -> Void = { line in StandardStream.error.write(line + "\n") }
        try await CareLedgerServer.serve(models: models, access: access, host: host, port: port, logRequests: logRequests,
                                         verifyEvery: verifyEvery?.duration, heartbeat: heartbeatEvery.duration,
                                         limits: ConnectionLimits(idleTimeout: idleTimeout.duration, requestTimeout: requestTimeout.duration,
                                                                  connectionsPerClient: maxConnectionsPerClient),
                                         sheets: sheets, note: journal) { address in
            StandardStream.output.write("careledger serving \(folder) on \(address) (\(note))\n")
        }
        // Said, so that an operator's log shows the stop was orderly (a crash says nothing).
        StandardStream.output.write("careledger stopped serving \(folder): the requests in flight were finished\n")
    }

    /// Said at start by a server given no master key over a ledger that holds personal data, so
    /// that its operator learns before a staff member or a writer does that it can be neither
    /// revealed nor recorded through this server. (A ledger without any is not told: many never
    /// hold personal data, and a batch that brings some is refused in the journal too.)
    static func withoutMasterKeyNote(workersWithKeys: Int) -> String {
        """
        the ledger holds personal data of \(counted(workersWithKeys, "worker")), and no master key was given (--master-key FILE, \
        or CARELEDGER_MASTER_KEY_FILE): reveals, and batches carrying personal data (pii, notes), are answered 503, \
        with nothing written, until this server is restarted with it
        """
    }

    /// The reader of posted workbooks: the program `--workbook-reader` names, as an absolute
    /// path, checked at start (a mistyped one would otherwise be found only when the first
    /// workbook is posted, and then as a 503), else this careledger.
    static func workbookReader(_ given: String?) throws(LedgerError) -> SheetReader {
        guard let given else { return .childProcess() }
        let path = URL(fileURLWithPath: given).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              FileManager.default.isExecutableFile(atPath: path) else {
            let what = !FileManager.default.fileExists(atPath: path) ? "there is no such file" : isFolder.boolValue ? "it is a folder" : "this user may not run it"
            throw LedgerError(.usage, "--workbook-reader \(given) is not a program to run: \(what); name a program that runs careledger \"$@\" (or leave the option out to read workbooks with this careledger)")
        }
        return .childProcess(executable: path)
    }

    /// What an operator should know at start about the tokens' last days: those past, which are
    /// refused, and those within two weeks, so that a new token can be made before access stops.
    static func tokenNotices(_ store: TokenStore, now: Instant) -> [String] {
        store.entries.compactMap { entry in
            guard let day = entry.validUntil else { return nil }
            if entry.hasExpired(at: now) {
                return "token \(entry.name) was valid until \(day) and is refused; revoke it, or make a new one (careledger tokens add)"
            }
            let left = day.dayNumber - now.date.dayNumber
            return left < 14 ? "token \(entry.name) stops working after \(day) (\(left == 0 ? "today is its last day" : counted(left, "day") + " left"))" : nil
        }
    }
}
