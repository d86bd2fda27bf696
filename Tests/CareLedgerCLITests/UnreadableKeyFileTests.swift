import Foundation
import LedgerTestSupport
import Testing

/// The data-key file there and not readable by the user running a command: another user of a
/// group-writable data folder, say. It was taken for no file at all, an empty store; an
/// `append` of a new worker's personal data then saved that worker's key alone over every
/// other worker's, so all earlier personal data could never be read again, and a `backup`
/// left the keys out without a word. Run as `nobody`, so only where the tests run as root.
@Suite(.enabled(if: AnotherUser.canRunTheBinary))
struct UnreadableKeyFileTests {
    @Test func anUnreadableKeyFileStopsWhatNeedsItAndIsNeverReplaced() throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let keys = cli.data + "/keys/data-keys.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: keys))
        // Everything this test made is open to nobody but the key file, which is root's alone.
        let opened = try Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "a+rwX", cli.folder.path])
        opened.waitUntilExit()
        chmod(cli.folder.path, 0o777)
        chmod(key, 0o644)
        chmod(keys, 0o600)
        let event = #"{"type":"WorkerRegistered","schemaVersion":1,"occurredOn":"2024-01-01","data":{"workerRef":"W-77","route":"displaced","nationality":"IN","laCode":"E08000025","pii":{"familyName":"Newperson"}}}"#
        let newWorker = cli.folder.write("new.ndjson", event + "\n")
        chmod(newWorker, 0o644)
        func asNobody(_ arguments: [String]) throws -> CareLedgerBinary.Result {
            try CareLedgerBinary.run(arguments + ["--data", cli.data], launcher: ["/usr/sbin/runuser", "-u", "nobody", "--"])
        }
        let head = try cli.digest()

        let appended = try asNobody(["append", newWorker, "--master-key", key])
        #expect(appended.status == 5 && appended.standardError.contains("cannot read the data-key file \(keys): it is not readable by this user"), "\(appended.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys)) == before, "the key file was replaced")
        #expect(try cli.digest() == head)
        let backup = try asNobody(["backup", cli.folder.file("backup")])
        #expect(backup.status == 5 && backup.standardError.contains("cannot back up the data-key file \(keys): it is not readable by this user"), "\(backup.standardError)")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.file("backup")))
        #expect(try cli.expect(0, ["read", "--reveal", "--master-key", key]).standardOutput.contains("Marisolplain"), "every earlier worker's data still opens")
        // stats shows the log's counts, then why it leaves the personal data's out, with the
        // failure's exit status: it stopped at the key file and showed nothing.
        let stats = try asNobody(["stats"])
        #expect(stats.status == 5 && stats.standardOutput.contains("  head       \(head)") && stats.standardOutput.contains("  personal   not counted (see below)")
                && stats.standardError.contains("careledger: personal data is not counted: cannot read the data-key file \(keys): it is not readable by this user"),
                "\(stats.standardOutput)\(stats.standardError)")
        let json = try asNobody(["stats", "--json"])
        #expect(json.status == 5 && json.standardOutput.contains(#""personalData":null"#), "\(json.standardOutput)")
    }
}

/// The data-key and token files keep the mode an operator gave them when they are rewritten:
/// a group that serves the folder (`chmod 640`) was locked out by the next rewrite's 600.
@Suite struct KeptFileModeTests {
    @Test func aRewriteKeepsTheFilesMode() throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        _ = try cli.token("first", role: "staff")
        let keys = cli.data + "/keys/data-keys.json", tokens = cli.data + "/tokens.json"
        func mode(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int }
        #expect(try mode(keys) == 0o600 && mode(tokens) == 0o600, "made for their owner alone")
        chmod(keys, 0o640)
        chmod(tokens, 0o640)
        let event = #"{"type":"WorkerRegistered","schemaVersion":1,"occurredOn":"2024-01-01","data":{"workerRef":"W-78","route":"displaced","nationality":"IN","laCode":"E08000025","pii":{"familyName":"Keptmode"}}}"#
        try cli.expect(0, ["append", "-", "--master-key", key], input: event + "\n")
        _ = try cli.token("second", role: "board")
        #expect(try mode(keys) == 0o640 && mode(tokens) == 0o640)
        #expect(try String(contentsOfFile: keys, encoding: .utf8).contains("W-78"), "the key file was rewritten")
    }
}

/// Whether these tests, run as root, can run the binary as `nobody`.
enum AnotherUser {
    static let canRunTheBinary: Bool = {
        getuid() == 0 && (try? CareLedgerBinary.run(["--help"], launcher: ["/usr/sbin/runuser", "-u", "nobody", "--"]).status) == 0
    }()
}
