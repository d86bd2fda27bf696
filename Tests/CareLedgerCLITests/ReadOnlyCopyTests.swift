import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// An auditor reads a copy of the data folder that they may not write: every command that writes
/// nothing to the log works there, gives the answers the writable folder gives, and changes no file.
@Suite("An auditor's read-only copy")
struct ReadOnlyCopyTests {
    @Test func everyReadingCommandWorksOnAFolderTheUserMayNotWrite() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["append", "-"], input: CLIWorkspace.bulk(20, prefix: "W-RO"))
        let caseloadArguments = ["query", "caseload", "--as-of", "2025-06-30", "--json"]
        // The first copy's read models hold the whole log; the second has none.
        let expected = try answers(cli.expect(0, caseloadArguments).standardOutput)
        let timeline = try answers(cli.expect(0, ["timeline", "worker", "W-1", "--json"]).standardOutput)
        let digest = try cli.digest()
        let bare = cli.folder.file("bare")
        try FileManager.default.copyItem(atPath: cli.data, toPath: bare)
        try FileManager.default.removeItem(atPath: bare + "/projections")
        // A third copy's read models are behind its log (appended to after they caught up).
        let behind = cli.folder.file("behind")
        try FileManager.default.copyItem(atPath: cli.data, toPath: behind)
        let late = try CareLedgerBinary.run(["append", "-", "--data", behind], input: CLIWorkspace.bulk(2, prefix: "W-LATE"))
        #expect(late.status == 0, "\(late.standardError)")

        let folders = [cli.data, bare]
        // The first copy has an access log (of reveals), which its backup copies.
        _ = try AccessLog(dataFolder: cli.data)
        // Where the auditor may write: packs and backups go there.
        let own = TemporaryFolder("auditor")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: own.path)
        try makeReadOnly(cli.folder.path)
        defer { restoreWritable(cli.folder.path) }
        let before = try contents(of: cli.folder.path)
        for folder in folders {
            let verify = try unprivileged(["verify", "--data", folder])
            #expect(verify.status == 0, "\(verify.standardError)")
            #expect(verify.standardError.contains("read without LMDB's lock file"), "the user is told: \(verify.standardError)")
            #expect(try unprivileged(["digest", "--data", folder]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == digest)
            #expect(try unprivileged(["verify", "--digest", digest, "--data", folder]).status == 0)
            let changes = try unprivileged(["changes", "--since", digest, "--json", "--data", folder])
            #expect(changes.status == 0 && changes.standardOutput.contains("\"lateEvents\":0"), "\(changes.standardError)")
            let read = try unprivileged(["read", "--limit", "3", "--data", folder])
            #expect(read.status == 0 && read.standardOutput.split(separator: "\n").count == 3, "\(read.standardError)")
            #expect(try unprivileged(["stats", "--data", folder]).status == 0)
            #expect(try unprivileged(["access-log", "--data", folder]).status == 0)
            let caseload = try unprivileged(caseloadArguments + ["--data", folder])
            #expect(caseload.status == 0, "\(caseload.standardError)")
            #expect(try answers(caseload.standardOutput) == expected)
            let worker = try unprivileged(["timeline", "worker", "W-1", "--json", "--data", folder])
            #expect(try answers(worker.standardOutput) == timeline)
            // Without read models of its own, the copy's are built elsewhere, and the user is told.
            #expect(caseload.standardError.contains("built from the log in") == (folder == bare), "\(caseload.standardError)")
            // Status reports the folder's own read models, not the ones a query builds elsewhere.
            let status = try unprivileged(["projections", "status", "--data", folder])
            #expect(status.status == 0, "\(status.standardError)")
            #expect(status.standardOutput.contains("holds no read models") == (folder == bare), "\(status.standardOutput)")
            #expect(status.standardOutput.contains("up to date") == (folder == cli.data), "\(status.standardOutput)")
            let statusJSON = try JSONValue(parsing: try unprivileged(["projections", "status", "--json", "--data", folder]).standardOutput)
            #expect(statusJSON["readOnly"] == true && (statusJSON["projections"]?.arrayValue?.isEmpty ?? false) == (folder == bare))
            let pack = own.file("pack-\(folder == bare ? "bare" : "whole")")
            let packed = try unprivileged(["audit-pack", "--worker", "W-1", "--out", pack, "--data", folder])
            #expect(packed.status == 0, "\(packed.standardError)")
            #expect(try unprivileged(["audit-pack", "verify", pack, "--digest", digest]).status == 0)
            let backup = own.file("backup-\(folder == bare ? "bare" : "whole")")
            let backedUp = try unprivileged(["backup", backup, "--data", folder])
            #expect(backedUp.status == 0, "\(backedUp.standardError)")
            #expect(try CareLedgerBinary.run(["digest", "--data", backup]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == digest)
            #expect(FileManager.default.fileExists(atPath: backup + "/access-log/data.mdb") == (folder == cli.data))
            // Writing is still refused, with the reason.
            let append = try unprivileged(["append", "-", "--data", folder])
            #expect(append.status == 5 && append.standardError.contains("Permission denied"), "\(append.standardError)")
        }
        let lagging = try unprivileged(["projections", "status", "--json", "--data", behind])
        let report = try JSONValue(parsing: lagging.standardOutput)
        #expect(report["readOnly"] == true)
        #expect(report["projections"]?.arrayValue?.allSatisfy { $0["lag"] == 6 } == true, "\(lagging.standardOutput)")
        #expect(try unprivileged(["projections", "status", "--data", behind]).standardOutput.contains("behind the log"))
        let lateCaseload = try unprivileged(["timeline", "worker", "W-LATE-1", "--json", "--data", behind])
        #expect(lateCaseload.status == 0 && lateCaseload.standardError.contains("built from the log in"), "\(lateCaseload.standardError)")
        #expect(try contents(of: cli.folder.path) == before, "no file of any copy changed, and none was added")
    }

    /// The answer without its `knownAt` (the instant of the query).
    private func answers(_ json: String) throws -> JSONValue {
        guard case .object(let members) = try JSONValue(parsing: json) else { throw Malformed(json: json) }
        return .object(members.filter { $0.0 != "knownAt" })
    }

    private struct Malformed: Error { let json: String }

    /// Runs the binary as a user who may not write the folder: as root, through `setpriv` as
    /// `nobody` (root may write anything); otherwise as this user, once the folder is read-only.
    private func unprivileged(_ arguments: [String]) throws -> CareLedgerBinary.Result {
        let launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        return try CareLedgerBinary.run(arguments, launcher: launcher)
    }

    private func makeReadOnly(_ root: String) throws {
        try setPermissions(root) { isFolder in isFolder ? 0o555 : 0o444 }
    }

    private func restoreWritable(_ root: String) {
        try? setPermissions(root) { isFolder in isFolder ? 0o755 : 0o644 }
    }

    private func setPermissions(_ root: String, _ mode: (Bool) -> Int) throws {
        var isFolder: ObjCBool = false
        for path in [root] + (FileManager.default.subpaths(atPath: root) ?? []).map({ root + "/" + $0 }) {
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            try FileManager.default.setAttributes([.posixPermissions: mode(isFolder.boolValue)], ofItemAtPath: path)
        }
    }

    /// Every file under `root` with its bytes.
    private func contents(of root: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        var isFolder: ObjCBool = false
        for path in FileManager.default.subpaths(atPath: root) ?? [] {
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder)
            if !isFolder.boolValue { result[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)) }
        }
        return result
    }
}
