import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `GET /`: the page shows the figures the JSON routes give; a board signs in with a cookie and
/// sees no row about a person.
@Suite struct DashboardTests {
    /// A demo ledger served, with a staff member's token and a board's. The workspace must be
    /// kept while the server runs: it deletes the ledger's folder when it goes.
    static func servedDemo(workers: Int, seed: Int) throws -> (CLIWorkspace, RunningServer, staff: String, board: String) {
        let cli = try ReadModelCommandTests.demo(workers: workers, seed: seed)
        let staff = try cli.token("officer", role: "staff"), board = try cli.token("board", role: "board")
        return (cli, try RunningServer(data: cli.data), staff, board)
    }

    @Test func thePageShowsWhatTheJSONRoutesGive() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 80, seed: 9)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let page = try await server.request("/?asOf=2025-06-30&period=2025-Q1&retention=2023-24&timeline=worker:W-00005")
        #expect(page.status == 200 && page.contentType?.hasPrefix("text/html") == true)
        let html = page.body
        for external in ["<script", "src=\"http", "href=\"http", "url(", "@import"] {
            #expect(!html.contains(external), "no scripts, fonts or other external assets: \(external)")
        }

        let caseload = try JSONValue(parsing: try await server.request("/v1/caseload?asOf=2025-06-30").body)
        #expect(html.contains("id=\"open-cases\">\(caseload["openCases"]?.integerValue ?? -1)<"))
        for row in caseload["cases"]?.arrayValue ?? [] {
            #expect(html.contains("<td>\(row["caseId"]?.stringValue ?? "?")</td>"))
        }
        let partners = try JSONValue(parsing: try await server.request("/v1/partners?period=2025-Q1&asOf=2025-06-30").body)
        for row in partners["partners"]?.arrayValue ?? [] {
            let id = row["partnerId"]?.stringValue ?? "?", opened = row["casesOpened"]?.integerValue ?? -1
            #expect(html.contains("<td>\(id)</td>"))
            #expect(html.range(of: "<td>\(id)</td>.*?<td class=\"n\">\(opened)</td>", options: .regularExpression) != nil, "\(id) opened \(opened)")
        }
        #expect(html.contains("<svg id=\"retention-chart\""))
        #expect(html.contains("data-series=\"employer-12\"") && html.contains("data-series=\"sector-3\""))
        // The scale reads in round figures: from 100% down, evenly, in multiples of 5.
        let ticks = html.matches(of: #/>(\d+)%</text>/#).compactMap { Int($0.1) }
        #expect(ticks.count >= 3 && ticks.first == 100 && ticks.allSatisfy { $0 % 5 == 0 }, "\(ticks)")
        #expect(Set(zip(ticks, ticks.dropFirst()).map { $0 - $1 }).count == 1, "evenly spaced: \(ticks)")
        // The chart's figures, as a table (its text alternative), are the JSON route's.
        let retention = try JSONValue(parsing: try await server.request("/v1/retention?period=2023-24&asOf=2025-06-30").body)
        let figures = try #require(html.components(separatedBy: "<table id=\"retention-figures\">").last?.components(separatedBy: "</table>").first)
        let cohorts = retention["cohorts"]?.arrayValue ?? []
        #expect(!cohorts.isEmpty && figures.components(separatedBy: "<tr>").count - 2 == cohorts.count, "one row per cohort month")
        for cohort in cohorts {
            let name = cohort["cohort"]?.stringValue ?? "?", three = cohort["horizons"]?["3"]
            let eligible = three?["eligible"]?.integerValue ?? 0, retained = three?["employerRetained"]?.integerValue ?? 0
            let rate = eligible == 0 ? "-" : { let tenths = Int((Double(retained) / Double(eligible) * 1000).rounded()); return "\(tenths / 10).\(tenths % 10)%" }()
            #expect(figures.contains("<tr><td>\(name)</td><td class=\"n\">\(cohort["starters"]?.integerValue ?? -1)</td><td class=\"n\">\(eligible)</td><td class=\"n\">\(rate)</td>"),
                    "\(name): \(eligible) eligible at 3 months, \(rate) with the same employer")
        }
        #expect(html.contains("aria-label=\"Retention by cohort month: the figures are in the table"))
        #expect(!html.contains("<th>"), "every column header says it heads a column (scope)")
        #expect(html.components(separatedBy: "<main>").count == 2, "one main landmark")
        // The page keeps to itself: no script may run in it, no other site may frame it or learn its address.
        let curl = try #require(SubscribeTests.curl)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["-s", "-I", server.address + "/?timeline=worker:W-00005"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let headers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).lowercased()
        process.waitUntilExit()
        #expect(headers.contains("content-security-policy: default-src 'none'; style-src 'unsafe-inline'") && headers.contains("frame-ancestors 'none'"), "\(headers)")
        #expect(headers.contains("x-frame-options: deny") && headers.contains("referrer-policy: same-origin") && headers.contains("x-content-type-options: nosniff"))
        // A table wider than the window scrolls in its own block instead of running off the page.
        #expect(html.components(separatedBy: "<table").count == html.components(separatedBy: "<div class=\"scroll\"><table").count)
        let timeline = try JSONValue(parsing: try await server.request("/v1/timeline/worker/W-00005").body)
        let rows = html.components(separatedBy: "<table id=\"timeline\">").last?.components(separatedBy: "<tr>").count ?? 0
        #expect(rows - 2 == timeline["events"]?.arrayValue?.count, "one row per timeline event")
        #expect(html.contains("<a class=\"csv\" href=\"/v1/timeline/worker/W-00005?knownAt="), "the timeline downloads too")
    }

    /// Published, the chart's scale is made from the rates it shows, not from those it withholds
    /// (fewer than 10 eligible, SPEC 5.5): its lowest gridline, set a little below the lowest
    /// rate, told a board roughly how low a withheld rate was. With none shown, it says why.
    @Test func aWithheldRateShapesNoScale() async throws {
        let (cli, server, staff, board) = try Self.servedDemo(workers: 30, seed: 4)
        defer { server.stop(); withExtendedLifetime(cli) {} }
        func chart(_ token: String) async throws -> (ticks: [Int], svg: String) {
            let html = try await server.request("/?asOf=2025-06-30&retention=2023-24", headers: ["Authorization": "Bearer \(token)"]).body
            let svg = try #require(html.components(separatedBy: "<svg id=\"retention-chart\"").last?.components(separatedBy: "</svg>").first)
            return (svg.matches(of: #/>(\d+)%</text>/#).compactMap { Int($0.1) }, svg)
        }
        let exact = try await chart(staff), published = try await chart(board)
        #expect(exact.svg.contains("<polyline") && (exact.ticks.last ?? 0) > 0, "staff see rates, on a scale above 0%: \(exact.ticks)")
        #expect(!published.svg.contains("<polyline") && published.ticks == [100, 80, 60, 40, 20, 0], "\(published.ticks)")
        #expect(published.svg.contains("No rate shown: each rests on fewer than 10 eligible, and is withheld"))
    }

    /// A mistyped field is named on the page, which shows its default instead (400, still the
    /// dashboard, not a problem document a person would have to read as JSON).
    @Test func aMistypedFieldIsNamedOnThePage() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 20, seed: 3)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let page = try await server.request("/?asOf=2025-02-30&period=2024-13&retention=2023-24")
        #expect(page.status == 400 && page.contentType?.hasPrefix("text/html") == true)
        #expect(page.body.contains("As of &quot;2025-02-30&quot; is not a date"), "\(page.body.prefix(2_000))")
        #expect(page.body.contains("Partner period: &quot;2024-13&quot; is not a period"))
        #expect(page.body.contains("<svg id=\"retention-chart\"") && page.body.contains("<table id=\"partners\">"), "the rest of the page is there")
        #expect(try await server.request("/?asOf=2025-06-30").status == 200)
    }

    /// The programme month by month, the timeline a board reads: the JSON route's figures for
    /// each month begun by the page's date (none still to come), its organisational events, and
    /// published for a board as its JSON is.
    @Test func theProgrammeMonthByMonthIsTheJSONRoutes() async throws {
        let (cli, server, staff, board) = try Self.servedDemo(workers: 80, seed: 9)
        defer { server.stop(); withExtendedLifetime(cli) {} }
        for (token, published) in [(staff, false), (board, true)] {
            let auth = ["Authorization": "Bearer \(token)"]
            let html = try await server.request("/?asOf=2024-09-15&programme=2024-25", headers: auth).body
            let table = try #require(html.components(separatedBy: "<table id=\"programme\">").last?.components(separatedBy: "</table>").first)
            let json = try JSONValue(parsing: try await server.request("/v1/timeline/programme?period=2024-25", headers: auth).body)
            let months = json["months"]?.arrayValue ?? []
            #expect(months.count == 12)
            func cell(_ value: JSONValue?) -> String {
                switch value {
                case .integer(let n)?: String(n)
                case .string(let text)?: text.replacingOccurrences(of: "<", with: "&lt;")
                default: "?"
                }
            }
            // April to September: the month in progress says so; October on has not begun.
            for (index, month) in months.prefix(6).enumerated() {
                let name = month["month"]?.stringValue ?? "?"
                let label = index == 5 ? "\(name) (to 2024-09-15)" : name
                let figures = [month["openCases"], month["casesOpened"]].map(cell).map { "<td class=\"n\">\($0)</td>" }.joined()
                #expect(table.contains("<tr><td>\(label)</td>\(figures)"), "\(label), published \(published): \(figures)")
            }
            #expect(table.components(separatedBy: "<tr>").count - 2 == 6 && !table.contains("2024-10"), "no month still to come")
            let organisational = months.prefix(6).flatMap { $0["organisationalEvents"]?.arrayValue ?? [] }
            #expect(!organisational.isEmpty)
            for event in organisational {
                #expect(html.contains("<li>\(event["occurredOn"]?.stringValue ?? "?") \(event["summary"]?.stringValue ?? "?")"))
            }
            #expect(html.contains("<a class=\"csv\" href=\"/v1/timeline/programme?period=2024-25&amp;knownAt=") && html.contains("publish=true&amp;format=csv") == published)
        }
        // A period mistyped, or too long to draw, is named, and the default is shown instead.
        let auth = ["Authorization": "Bearer \(staff)"]
        let mistyped = try await server.request("/?asOf=2025-06-30&programme=2024/25", headers: auth)
        #expect(mistyped.status == 400 && mistyped.body.contains("Programme period: ") && mistyped.body.contains("2025-26 (2025-04-01 to 2026-03-31)"))
        let century = try await server.request("/?programme=1900-01-01..2099-12-31", headers: auth)
        #expect(century.status == 400 && century.body.contains("spans 2400 months"))
    }

    @Test func aBoardSignsInWithACookieAndSeesNoRowsAboutPeople() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 40, seed: 4)
        let board = try cli.token("board", role: "board")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let form = try await server.request("/")
        #expect(form.status == 200 && form.body.contains("action=\"/signin\""), "a sign-in form while no token is presented")

        let curl = try #require(SubscribeTests.curl)
        func fetch(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        func signIn(_ token: String, headers: [String] = []) throws -> String {
            try fetch(["-s", "-i", "-X", "POST", "--data-urlencode", "token=\(token)"] + headers.flatMap { ["-H", $0] } + [server.address + "/signin"])
        }
        #expect(try signIn("cl_wrong").hasPrefix("HTTP/1.1 401"))
        let answer = try signIn(board)
        #expect(answer.hasPrefix("HTTP/1.1 303"))
        let cookie = try #require(answer.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
        // Behind a TLS proxy (which says so), the cookie is Secure: never sent back over plain HTTP.
        let proxied = try signIn(board, headers: ["X-Forwarded-Proto: https"])
        #expect(proxied.split(separator: "\r\n").contains { $0.lowercased().hasPrefix("set-cookie:") && $0.hasSuffix("; Secure") }, "\(proxied)")
        let value = String(cookie.split(separator: ":", maxSplits: 1)[1].split(separator: ";")[0]).trimmingCharacters(in: .whitespaces)

        let page = try await server.request("/?asOf=2025-06-30&timeline=worker:W-00001", headers: ["Cookie": value])
        #expect(page.status == 200)
        #expect(!page.body.contains("<table id=\"caseload\""), "no case rows for a board")
        #expect(!page.body.contains("<table id=\"timeline\""), "no worker timeline for a board")
        #expect(!page.body.contains("W-0000"), "no worker is named anywhere on a board's page")
        #expect(page.body.contains("not published"))
        // Signed in by the cookie, the page offers to forget it; signing out clears it.
        #expect(page.body.contains("<form method=\"post\" action=\"/signout\">"))
        let signOut = try fetch(["-s", "-i", "-X", "POST", "-H", "Cookie: \(value)", server.address + "/signout"])
        #expect(signOut.hasPrefix("HTTP/1.1 303") && signOut.contains("careledger_token=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"), "\(signOut)")
        #expect(!(try await server.request("/?asOf=2025-06-30", headers: ["Authorization": "Bearer \(board)"]).body.contains("action=\"/signout\"")),
                "a bearer token, not the cookie: nothing to sign out of")
        // Published, the chart's figures withhold a rate over fewer than 10 eligible, as the chart does.
        let figures = try #require(page.body.components(separatedBy: "<table id=\"retention-figures\">").last?.components(separatedBy: "</table>").first)
        #expect(figures.contains(">withheld</td>"), "40 workers make cohorts too small to publish a rate")
    }

    /// Each read model downloads as the CSV `careledger query … --csv` prints for the same
    /// options (published for a board), and the page links each section's download with the
    /// instant it was drawn at, so the file holds the figures on the screen.
    @Test func readModelsDownloadAsTheCommandLinesCSV() async throws {
        let (cli, server, staff, board) = try Self.servedDemo(workers: 60, seed: 4)
        defer { server.stop() }
        let knownAt = "2030-01-01T00:00:00Z"
        let cases: [(path: String, command: [String], file: String)] = [
            ("/v1/caseload?asOf=2025-06-30", ["query", "caseload", "--as-of", "2025-06-30"], "caseload-2025-06-30.csv"),
            ("/v1/retention?period=2024-25&asOf=2025-12-31", ["query", "retention", "--period", "2024-25", "--as-of", "2025-12-31"], "retention-2024-25.csv"),
            ("/v1/partners?period=2025-Q1", ["query", "partners", "--period", "2025-Q1"], "partners-2025-Q1.csv"),
            ("/v1/timeline/programme?period=2024-25", ["timeline", "programme", "--period", "2024-25"], "programme-2024-25.csv"),
            ("/v1/timeline/provider/P-001?publish=false", ["timeline", "provider", "P-001"], "timeline-provider-P-001.csv"),
        ]
        for (path, command, file) in cases {
            for (token, publish) in [(staff, false), (board, true)] {
                let answer = try await server.request(path + "&knownAt=\(knownAt)&format=csv", headers: ["Authorization": "Bearer \(token)"])
                let printed = try cli.expect(0, command + ["--known-at", knownAt, "--csv"] + (publish ? ["--publish"] : [])).standardOutput
                #expect(answer.status == 200 && answer.contentType?.hasPrefix("text/csv") == true, "\(path): \(answer.status) \(answer.body)")
                #expect(answer.body == printed, "\(path) as CSV, published: \(publish)")
                #expect(answer.contentDisposition == "attachment; filename=\"\(file)\"")
            }
        }
        #expect(try await server.request("/v1/caseload?format=xml", headers: ["Authorization": "Bearer \(staff)"]).status == 400)
        let json = try await server.request("/v1/caseload", headers: ["Authorization": "Bearer \(staff)", "Accept": "text/csv"])
        #expect(json.contentType?.hasPrefix("text/csv") == true, "Accept: text/csv asks for CSV too")

        let page = try await server.request("/?asOf=2025-06-30&period=2025-Q1", headers: ["Authorization": "Bearer \(staff)"]).body
        let links = page.matches(of: #/<a class="csv" href="([^"]+)">/#).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
        #expect(links.count == 4, "caseload, retention, partners and the programme: \(links)")
        let shownAt = try #require(page.firstMatch(of: #/known at ([0-9T:.Z-]+)\./#).map { String($0.1) })
        let partners = try #require(links.first { $0.hasPrefix("/v1/partners?") })
        #expect(partners == "/v1/partners?period=2025-Q1&asOf=2025-03-31&knownAt=\(shownAt)&format=csv")
        // The digest the figures rest on, printed on the page, is the head as it stood then.
        let digest = try #require(page.firstMatch(of: #/<code id="digest">([0-9]+:[0-9a-f]{64})</code>/#).map { String($0.1) })
        #expect(digest == (try cli.expect(0, ["digest", "--known-at", shownAt]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        let served = try JSONValue(parsing: try await server.request("/v1/digest?knownAt=\(shownAt)", headers: ["Authorization": "Bearer \(board)"]).body)
        #expect("\(served["seq"]?.integerValue ?? -1):\(served["hash"]?.stringValue ?? "")" == digest)
        let downloaded = try await server.request(partners, headers: ["Authorization": "Bearer \(staff)"])
        #expect(downloaded.body == (try cli.expect(0, ["query", "partners", "--period", "2025-Q1", "--known-at", shownAt, "--csv"]).standardOutput))
        let programme = try #require(links.first { $0.hasPrefix("/v1/timeline/programme?") })
        #expect(programme == "/v1/timeline/programme?period=2025-26&knownAt=\(shownAt)&format=csv")
        let months = try await server.request(programme, headers: ["Authorization": "Bearer \(staff)"])
        #expect(months.body == (try cli.expect(0, ["timeline", "programme", "--period", "2025-26", "--known-at", shownAt, "--csv"]).standardOutput))
    }
}
