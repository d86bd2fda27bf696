import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `careledger serve --port 0` running, and the address it printed.
final class RunningServer: @unchecked Sendable {
    // Mutated only from the thread that owns the test, before and after the server runs.
    private let process: Process
    /// The server's standard output after the line with its address.
    private let output: FileHandle
    let address: String
    /// This server's own client, which keeps no cookies: the shared session kept every
    /// `Set-Cookie` (the dashboard's sign-in sets one) and sent it to every port of 127.0.0.1,
    /// so a test's token could reach another test's server. Requests carry exactly the headers a
    /// test gives them.
    let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 300
        return URLSession(configuration: configuration)
    }()

    /// - Parameters:
    ///   - errors: a file to take the server's standard error, else it is dropped.
    ///   - launcher: a command to start it through (such as a shell that sets a limit first),
    ///     given the binary and its arguments after its own.
    init(data: String, host: String = "127.0.0.1", arguments: [String] = [], errors: String? = nil, environment: [String: String] = [:],
         launcher: [String] = []) throws {
        let serve = ["serve", "--data", data, "--port", "0", "--host", host] + arguments
        process = CareLedgerBinary.start(serve, environment: environment)
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [CareLedgerBinary.path] + serve
        }
        let output = Pipe()
        process.standardOutput = output
        if let errors, FileManager.default.createFile(atPath: errors, contents: nil), let handle = FileHandle(forWritingAtPath: errors) {
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        self.output = handle
        while !text.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://[^ \n]+"#, options: .regularExpression) else {
            process.terminate()
            throw ServerDidNotStart(output: text)
        }
        address = String(text[range])
    }

    /// A server its test did not stop (it returned early, or forgot) is stopped here: one such
    /// test left a server running after every run of the suite, its data folder long deleted.
    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct ServerDidNotStart: Error { let output: String }

    struct Answer {
        let status: Int
        let body: String
        let contentType: String?
        var allow: String? = nil
        var cacheControl: String? = nil
        var contentTypeOptions: String? = nil
        var contentDisposition: String? = nil
        /// The body as sent, for one that is not text (a workbook).
        var bytes: [UInt8] = []
    }

    /// GET `path`, or POST `body` to it (or use `method`).
    func request(_ path: String, body: String? = nil, accept: String? = nil, headers: [String: String] = [:], method: String? = nil) async throws -> Answer {
        try await request(path, bytes: body.map { Array($0.utf8) }, accept: accept, headers: headers, method: method)
    }

    /// GET `path`, or POST `bytes` to it (or use `method`): for a body that is not UTF-8 text.
    func request(_ path: String, bytes body: [UInt8]?, accept: String? = nil, headers: [String: String] = [:], method: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: address + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body)
        }
        if let method { request.httpMethod = method }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self),
                      contentType: http.value(forHTTPHeaderField: "Content-Type"), allow: http.value(forHTTPHeaderField: "Allow"),
                      cacheControl: http.value(forHTTPHeaderField: "Cache-Control"),
                      contentTypeOptions: http.value(forHTTPHeaderField: "X-Content-Type-Options"),
                      contentDisposition: http.value(forHTTPHeaderField: "Content-Disposition"), bytes: Array(data))
    }

    /// Sends `request`, the bytes of an HTTP/1.1 request as given (framing no client library
    /// would send), over a connection of its own, and returns all that comes back before the
    /// server closes it.
    func raw(_ request: String) throws -> String {
        try raw(request, giveUpAfter: nil).answer
    }

    /// Sends `request` as ``raw(_:)`` does and reads until the server closes the connection or
    /// `seconds` have passed, whichever is first; `closed` says which.
    func raw(_ request: String, giveUpAfter seconds: Double?) throws -> (answer: String, closed: Bool) {
        let connection = RawConnection(to: address)
        precondition(connection.send(request))
        connection.read(for: seconds ?? .infinity)
        return (connection.answer, connection.closed)
    }

    /// Sends SIGKILL (a crash: nothing is finished) and waits.
    func crash() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// What the server printed on standard output after its address line, once it has ended.
    func printedSinceStart() -> String {
        precondition(!process.isRunning, "read what the server printed once it has stopped")
        return String(decoding: output.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        session.finishTasksAndInvalidate()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }
}
