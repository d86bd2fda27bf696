import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger schemas`: the catalogue for people who write events by hand.
@Suite struct SchemasCommandTests {
    @Test func listsEveryTypeAndDescribesOneWithAnEventThatAppends() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let list = try cli.expect(0, ["schemas"]).standardOutput
        let rows = list.split(separator: "\n").dropFirst(2).prefix { !$0.isEmpty }
        #expect(rows.count == 30, "\(list)")
        #expect(rows.contains { $0.hasPrefix("WorkerRegistered ") && $0.contains("worker-{workerRef}") && $0.hasSuffix("workerRef, route, nationality, laCode, yearOfEntry?, pii?") })

        let one = try cli.expect(0, ["schemas", "WorkerRegistered"]).standardOutput
        #expect(one.contains("  route        required  one of overseasRecruitment, displaced, selfReferral, partnerReferral"), "\(one)")
        #expect(one.contains("  pii          optional  an object of givenName?, familyName?"))
        // The event it offers to start from is valid as it stands: here, a worker needs nothing else.
        let example = try #require(one.split(separator: "\n").last.map(String.init))
        try cli.expect(0, ["append", "-"], input: example + "\n")
        #expect(try cli.digest().hasPrefix("1:"))

        let file = try cli.expect(0, ["schemas", "SupportProvided", "--json"]).standardOutput
        let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Schemas").standardized.path
        let onDisk = try String(contentsOfFile: schemaFolder + "/SupportProvided.v1.json", encoding: .utf8)
        #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == onDisk.trimmingCharacters(in: .whitespacesAndNewlines))
        let all = try JSONValue(parsing: try cli.expect(0, ["schemas", "--json"]).standardOutput)
        #expect(all["schemas"]?.arrayValue?.count == 30)
        #expect(all["schemas"]?[0]?["schema"]?["x-stream"]?.stringValue == all["schemas"]?[0]?["stream"]?.stringValue)
        try cli.expect(2, ["schemas", "Nope"])
    }

    /// The CLI's JSON is the HTTP route's (SPEC 8's `GET /v1/schemas`).
    @Test func theJSONIsWhatTheServerServes() async throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let served = try JSONValue(parsing: try await server.request("/v1/schemas").body)
        #expect(try JSONValue(parsing: try cli.expect(0, ["schemas", "--json"]).standardOutput) == served)
    }
}
