import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// What a writer sent may hold control characters (JSON allows them), and a terminal obeys them:
/// an escape recolours, moves the cursor, retitles the window or sets the clipboard. Tables,
/// summaries and messages for people show them as codes; JSON and CSV keep the text as stored.
@Suite struct TerminalTextTests {
    @Test func aWritersControlCharactersAreShownNotRun() throws {
        let cli = try CLIWorkspace().initialised()
        let name = "Evil\u{1B}[31mRED\u{1B}]52;c;aGk=\u{07}\r hub"
        let event = JSONValue.object([("type", "PartnerRegistered"), ("schemaVersion", 1), ("occurredOn", "2024-01-02"),
                                      ("data", .object([("partnerId", "PT-Z"), ("name", .string(name)), ("kind", "hub")]))])
        try cli.expect(0, ["append", "-"], input: event.compactText + "\n")
        let shown = #"Evil\u{1B}[31mRED\u{1B}]52;c;aGk=\u{7}\u{D} hub"#
        func runsNone(_ text: String) -> Bool { !text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" } }

        let table = try cli.expect(0, ["query", "partners", "--period", "2024-Q1"]).standardOutput
        #expect(table.contains("PT-Z       \(shown)  hub") && runsNone(table), "\(table)")
        let timeline = try cli.expect(0, ["timeline", "partner", "PT-Z"]).standardOutput
        #expect(timeline.contains("Partner registered: \(shown) (PT-Z, hub)") && runsNone(timeline), "\(timeline)")
        let seq = try #require(JSONValue(parsing: try cli.expect(0, ["read", "--type", "PartnerRegistered"]).standardOutput
            .split(separator: "\n").last.map(String.init) ?? "")["seq"]?.integerValue)
        let retracted = try cli.expect(0, ["retract", String(seq), "--reason", "Named \u{1B}[2J wrongly", "--check"]).standardOutput
        #expect(retracted.contains("Partner registered: \(shown)") && runsNone(retracted), "\(retracted)")

        // A refusal quoting what was given shows it too, on standard error (a rule's message
        // quotes a field's value as JSON does).
        let usage = try cli.expect(2, ["query", "partners", "--period", "2024\u{1B}[2J"]).standardError
        #expect(usage.contains(#""2024\u{1B}[2J" is not a period"#) && runsNone(usage), "\(usage)")
        let refused = try cli.expect(3, ["record", "PartnerRegistered", "--on", "2024-01-03", "partnerId=PT-Y", "name=x", "kind=hub\u{1B}[8m"]).standardError
        #expect(refused.contains(#"not "hub\u001b[8m""#) && runsNone(refused), "\(refused)")

        // The data itself is kept exactly: JSON escapes it, CSV carries it.
        let json = try JSONValue(parsing: try cli.expect(0, ["query", "partners", "--period", "2024-Q1", "--json"]).standardOutput)
        #expect(json["partners"]?.arrayValue?.first { $0["partnerId"] == "PT-Z" }?["name"]?.stringValue == name)
        #expect(try cli.expect(0, ["query", "partners", "--period", "2024-Q1", "--csv"]).standardOutput.contains("\u{1B}[31mRED"))
        #expect(TerminalText.visible("a\nb\tc\u{85}", multiline: true) == #"a\#nb\#tc\u{85}"# && TerminalText.visible("a\nb") == #"a\u{A}b"#)
        #expect(TerminalText.visible("PT-1 \u{202E}001\u{2066}x\u{200F}") == #"PT-1 \u{202E}001\u{2066}x"# + "\u{200F}", "overrides and isolates shown; a mark kept")
    }

    /// The server's journal keeps one line an entry, whatever it quotes: a token file named with
    /// an escape and a line break (as an operator's script might make one) neither runs in the
    /// operator's terminal nor forges a second entry.
    @Test func theServersJournalShowsControlCharactersOnOneLine() async throws {
        let cli = try CLIWorkspace().initialised()
        let tokens = cli.folder.file("tokens\u{1B}[2J\nFORGED.json"), errors = cli.folder.file("serve.err")
        let staff = try cli.expect(0, ["tokens", "add", "s", "--role", "staff", "--tokens", tokens]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningServer(data: cli.data, arguments: ["--tokens", tokens], errors: errors)
        defer { server.stop() }
        try "{".write(toFile: tokens, atomically: true, encoding: .utf8)
        #expect(try await server.request("/v1/digest", headers: ["Authorization": "Bearer \(staff)"]).status == 503)
        let journal = try String(contentsOfFile: errors, encoding: .utf8)
        let entry = try #require(journal.split(separator: "\n").first { $0.contains("GET /v1/digest: 503") }, "\(journal)")
        #expect(entry.contains(#"tokens\u{1B}[2J\u{A}FORGED.json"#) && !journal.contains("\u{1B}") && !journal.contains("\nFORGED"), "\(journal)")
    }
}
