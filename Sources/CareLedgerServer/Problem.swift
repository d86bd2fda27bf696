internal import Hummingbird
internal import CareLedger
internal import LedgerJSON
internal import NIOCore
internal import Logging

/// Errors as `application/problem+json` (RFC 9457), with the same detail as the CLI prints. A
/// failure that is the server's or its operator's to put right (5xx), not the request's, is also
/// written to the server's log, the journal, where the operator reads it.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as LedgerError {
            let response = Problem.response(for: error)
            if response.status.code >= 500 { Problem.journal(error, of: request, status: response.status, to: context.logger) }
            return response
        } catch let error as HTTPError {
            var response = Problem.response(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
            for field in error.headers { response.headers.append(field) }
            return response
        } catch let error as any HTTPResponseError {
            // Hummingbird's own (a body over a limit, say): its status, in a problem document.
            return Problem.response(status: error.status, title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
        } catch is CancellationError {
            throw CancellationError()  // the client went away: nothing to answer
        } catch {
            // Anything else is the server's failure: said as one, as SPEC 8 says errors are.
            context.logger.error("\(request.method) \(request.uri.path): 500: the server could not answer: \(error)")
            return Problem.response(status: .internalServerError, title: "storage", detail: "the server could not answer: \(error)")
        }
    }
}

enum Problem {
    /// Writes a failure that is the server's or its operator's (a 5xx) to the journal.
    static func journal(_ error: LedgerError, of request: Request, status: HTTPResponse.Status, to logger: Logger) {
        logger.error("\(request.method) \(request.uri.path): \(status.code) \(error.code): \(error)")
    }

    /// The status SPEC section 8 gives each kind of failure.
    static func status(for code: LedgerError.Code) -> HTTPResponse.Status {
        switch code {
        case .rejected, .usage: .badRequest
        case .conflict: .conflict
        case .notFound: .notFound
        case .tooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    static func response(for error: LedgerError) -> Response {
        response(status: status(for: error.code), body: body(for: error))
    }

    /// The problem details (RFC 9457) of `error`, as a response carries them, and as an event
    /// stream that cannot go on says why it ends.
    static func body(for error: LedgerError) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let location = error.location {
            switch location {
            case .index(let i): members.append(("eventIndex", .integer(Int64(i))))
            case .line(let n): members.append(("line", .integer(Int64(n))))
            }
        }
        if let pointer = error.pointer { members.append(("pointer", .string(pointer))) }
        return body(status: status(for: error.code), title: error.code.description, detail: error.description, extra: members)
    }

    static func response(status: HTTPResponse.Status, title: String, detail: String, extra: [(String, JSONValue)] = []) -> Response {
        response(status: status, body: body(status: status, title: title, detail: detail, extra: extra))
    }

    /// A problem document written below the router, by a channel handler that answers for the
    /// connection (``RequestDeadlineHandler``, ``ClientAdmissionHandler``): its bytes.
    static func bytes(status: HTTPResponse.Status, detail: String) -> [UInt8] {
        Array(body(status: status, title: status.reasonPhrase, detail: detail, extra: []).compactText.utf8)
    }

    private static func body(status: HTTPResponse.Status, title: String, detail: String, extra: [(String, JSONValue)]) -> JSONValue {
        .object([("type", "about:blank"), ("title", .string(title)), ("status", .integer(Int64(status.code))), ("detail", .string(detail))] + extra)
    }

    private static func response(status: HTTPResponse.Status, body: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/problem+json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body.compactText)))
    }
}

/// The body of `request`, at most `limit` bytes. A longer one is refused as 413 with a problem
/// document that says what the limit is and what to do (`instead`), where Hummingbird answered
/// an empty 413 that no client could act on. A body that cannot be read as HTTP frames it (a
/// `Transfer-Encoding` that is not `chunked`, say) is the request's fault, 400, where it was
/// answered 500 as if the server had failed.
func collectBody(of request: Request, upTo limit: Int, what: String, instead: String) async throws -> ByteBuffer {
    do {
        return try await request.body.collect(upTo: limit)
    } catch is NIOTooManyBytesError {
        throw LedgerError(.tooLarge, "\(what) is at most \(byteSize(limit)), and this body is longer: \(instead); nothing was written")
    } catch let error as CancellationError {
        throw error
    } catch let error as any HTTPResponseError {
        throw error
    } catch {
        throw LedgerError(.rejected, "\(what) could not be read from this request (\(error)): send it whole, with a Content-Length or Transfer-Encoding: chunked; nothing was written")
    }
}

/// A JSON response from a value, members in the order given.
func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: value.compactText + "\n")))
}
