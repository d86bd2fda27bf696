internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import Timelines
internal import NIOCore
internal import Foundation
internal import HTTPTypes

extension CareLedgerServer {
    /// `GET /` (the dashboard, or a sign-in form while no token is presented), `POST /signin` and
    /// `POST /signout`.
    static func addDashboardRoutes(to router: Router<BasicRequestContext>, models: ReadModels, access: AccessControl,
                                   verification: SharedRun<VerificationReport>, lastVerification: LastVerification,
                                   readModelWrites: Lane) {
        router.get("/") { request, _ in
            if let refusal = refusalWithoutTokens(request, access: access) { return refusal }
            guard let roles = try access.roles(of: AccessControl.token(of: request), in: request) else { return signIn(status: .ok, message: nil) }
            let allowed = roles.intersection([.staff, .auditor, .board])
            guard !allowed.isEmpty else {
                return html(page(title: "CareLedger", body: "<h1>CareLedger</h1><p>This token (\(escape(roles.sorted().map(\.rawValue).joined(separator: ", ")))) may not read the dashboard: it needs staff, auditor or board.</p>"), status: .forbidden)
            }
            let query = request.uri.queryParameters
            func text(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let published = allowed.publishedOnly
            // A field a person mistyped is named on the page, which shows its default instead:
            // a browser would otherwise show a problem document in place of the dashboard.
            var mistakes: [String] = []
            /// `label` names the field as the form does, before a rule that does not name it.
            func field<Value>(_ name: String, _ label: String?, _ parse: (String) throws(LedgerError) -> Value) -> Value? {
                guard let raw = text(name) else { return nil }
                do { return try parse(raw) } catch {
                    mistakes.append("\(label.map { "\($0): " } ?? "")\(error.rule); the default is shown instead.")
                    return nil
                }
            }
            let asOf = field("asOf", nil) { text throws(LedgerError) in try QueryOptions.date(text, option: "As of") }
            let today = asOf ?? Instant.now().date
            let period = field("period", "Partner period") { text throws(LedgerError) in try Period(text) } ?? ReadModels.defaultPeriod(containing: today)
            // Cohorts old enough for their 12-month checkpoint, observed as of the page's date.
            let retentionPeriod = field("retention", "Retention period") { text throws(LedgerError) in try Period(text) }
                ?? ReadModels.wholeRetentionYear(asOf: today)
            // A board's own timeline: the programme's, for the financial year of the page's date.
            let programmePeriod = field("programme", "Programme period") { text throws(LedgerError) in try ReadModels.programmePeriod(Period(text)) }
                ?? ReadModels.defaultPeriod(containing: today)
            let requested = text("timeline") ?? ""
            // A digest quoted in a board paper, checked as `verify --digest` checks it.
            let digest = field("digest", "Digest") { text throws(LedgerError) in try publishedDigest(text) }
            var checked: DashboardPage.DigestCheck?
            if let digest {
                var check = DashboardPage.DigestCheck(digest: digest, report: try await verified(by: verification, digest: digest, models: models))
                if check.report.ok {
                    try await catchUp(models, through: readModelWrites)
                    let changes = try await blocking { try models.ledger.changes(since: .digest(digest), asOf: today, readBy: ReadModels.figureTypes) }
                    check.changes = changes
                    var figures = QueryOptions()
                    figures.publish = published
                    check.figures = try await blocking { [figures] in try models.figureChanges(changes, figures: figures) }
                }
                checked = check
            }
            let digestCheck = checked
            let mistaken = mistakes
            try await catchUp(models, through: readModelWrites)
            let body = try await blocking { () -> String in
                // One instant for every section: the page says once what it was known at, and
                // each section's download reproduces it, however many appends land meanwhile.
                let knownAt = Instant.now()
                var caseloadOptions = QueryOptions(asOf: asOf, knownAt: knownAt)
                caseloadOptions.publish = published
                var retentionOptions = QueryOptions(asOf: today, knownAt: knownAt, period: retentionPeriod)
                retentionOptions.publish = published
                var partnerOptions = QueryOptions(knownAt: knownAt, period: period)
                partnerOptions.publish = published
                var timeline: Timeline?
                var notice: String?
                var timelineRequest = requested
                if let colon = timelineRequest.firstIndex(of: ":"), let kind = TimelineKind(rawValue: String(timelineRequest[..<colon])) {
                    if published && !kind.isOrganisational {
                        notice = "Worker and case timelines are row-level data about people and are not shown to a board."
                        timelineRequest = ""
                    } else {
                        do {
                            timeline = try models.timeline(kind, id: String(timelineRequest[timelineRequest.index(after: colon)...]), knownAt: knownAt, publish: published)
                        } catch let error as LedgerError where error.code == .notFound {
                            notice = error.rule
                        }
                    }
                } else if !timelineRequest.isEmpty {
                    notice = "A timeline is asked for as kind:id, such as worker:W-00007 or case:C-00012."
                }
                let notices = mistaken + (notice.map { [$0] } ?? [])
                return DashboardPage(caseload: try models.caseload(caseloadOptions), retention: try models.retention(retentionOptions),
                                     partners: try models.partners(partnerOptions),
                                     programme: try models.programme(period: programmePeriod, knownAt: knownAt), asOf: today,
                                     timeline: timeline, timelineRequest: timelineRequest,
                                     published: published, roles: allowed.sorted().map(\.rawValue),
                                     basis: try models.ledger.withSnapshot { try $0.head(knownAt: knownAt) },
                                     digestCheck: digestCheck, lastVerification: lastVerification.finding,
                                     signedIn: AccessControl.cookieToken(of: request) != nil, records: roles.contains(.writer),
                                     notice: notices.isEmpty ? nil : notices.joined(separator: " ")).html
            }
            return html(body, status: mistakes.isEmpty ? .ok : .badRequest)
        }
        // Forgets the cookie: on a computer people share, the next person does not inherit the token.
        router.post("signout") { _, _ in
            var headers: HTTPFields = [.location: "/"]
            headers[.setCookie] = "\(AccessControl.cookieName)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
            return Response(status: .seeOther, headers: headers)
        }
        router.post("signin") { request, _ in
            let form = String(buffer: try await collectBody(of: request, upTo: 64 * 1024, what: "a sign-in form", instead: "send the token alone"))
            var token: String?
            for pair in form.split(separator: "&") where pair.hasPrefix("token=") {
                token = String(pair.dropFirst("token=".count)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let token = token?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty,
                  let roles = try access.roles(of: token, in: request), !roles.isEmpty else {
                return signIn(status: .unauthorized, message: "That token is not known, or its last day has passed. Ask for one: careledger tokens add NAME --role staff.")
            }
            var headers: HTTPFields = [.location: "/"]
            // Secure when a TLS proxy in front says the browser came over HTTPS: the browser then
            // never sends the token over plain HTTP.
            let secure = request.headers[LocalUser.forwardedProto]?.lowercased() == "https"
            headers[.setCookie] = "\(AccessControl.cookieName)=\(token); HttpOnly; SameSite=Strict; Path=/\(secure ? "; Secure" : "")"
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// The page for a request refused while no tokens exist (not from this machine's own user),
    /// or `nil`: no token would help, since none exists, so it says why rather than ask for one.
    static func refusalWithoutTokens(_ request: Request, access: AccessControl) -> Response? {
        guard let (status, reason) = access.refusalWithoutTokens(request) else { return nil }
        return html(page(title: "CareLedger", body: "<h1>CareLedger</h1><p class=\"notice\">\(escape(reason)).</p>"), status: status)
    }

    static func signIn(status: HTTPResponse.Status, message: String?) -> Response {
        let body = """
        <h1>CareLedger</h1><p>Sign in with your access token. It is kept in a cookie that scripts cannot read, sent only to this site.</p>
        \(message.map { "<p class=\"note\">\(escape($0))</p>" } ?? "")
        <form method="post" action="/signin"><label>Token <input name="token" type="password" size="40" autocomplete="off"></label>
        <button type="submit">Sign in</button></form>
        """
        return html(page(title: "CareLedger: sign in", body: body), status: status)
    }

    /// A page, with the headers that keep it to itself: no scripts, frames or outside resources
    /// may run or load in it (it has none), no other site may frame it (where a click could be
    /// steered), and its address (a worker's timeline names the worker) goes to no other site.
    /// `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    /// the page's own form posts, and the server, which refuses a post from another origin
    /// (`/record`; any post while no tokens exist), then refused the page's own.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[xFrameOptions] = "DENY"
        headers[referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
