import Foundation
import LedgerTestSupport
import Testing

/// A command's input named as a pipe, as a shell's process substitution names one
/// (`careledger import <(zcat events.ndjson.gz)`): read once, whole, as a file is.
@Suite struct PipedInputTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/programme-sample.ndjson").standardized.path

    /// Runs `careledger ARGUMENTS…` through bash, with `PIPE` among them standing for
    /// `<(COMMAND)`: a pipe carrying the shell command's output.
    static func run(_ arguments: [String], piping command: String) throws -> CareLedgerBinary.Result {
        let script = #"bin="$0"; exec 3< <(eval "$1"); shift; args=(); for a in "$@"; do if [ "$a" = PIPE ]; then args+=(/dev/fd/3); else args+=("$a"); fi; done; exec "$bin" "${args[@]}""#
        return try CareLedgerBinary.run([command] + arguments, launcher: ["/bin/bash", "-c", script])
    }

    /// `import` looked at the input's first 4 KiB before importing it, to tell a workbook from
    /// events: from a pipe those bytes were gone, so a short input "held no events", a longer
    /// one was refused by a line cut in half, and one cut at a line's end lost the events before.
    @Test func importReadsAPipeWhole() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let short = try Self.run(["import", "PIPE", "--data", cli.data], piping: "head -n 3 '\(Self.sample)'")
        #expect(short.status == 0 && short.standardOutput.contains("Imported 3 events (seq 1 to 3) from /dev/fd/3"), "\(short.standardError)")
        let whole = try Self.run(["import", "PIPE", "--data", cli.data], piping: "tail -n +4 '\(Self.sample)'")
        #expect(whole.status == 0 && whole.standardOutput.contains("Imported 597 events (seq 4 to 600)"), "\(whole.standardError)")
        try cli.expect(0, ["verify"])
    }

    /// `append` and `record --rows` read their file whole, and refused a pipe as "not readable
    /// by this user, or a folder"; a folder is now said to be one.
    @Test func appendAndRecordReadAPipe() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let appended = try Self.run(["append", "PIPE", "--data", cli.data], piping: "head -n 2 '\(Self.sample)'")
        #expect(appended.status == 0 && appended.standardOutput.contains("seq 1"), "\(appended.standardError)")
        let rows = "printf 'occurredOn,partnerId,name,kind,laCode\\n2024-01-02,PT-9,Advice Hub,hub,E08000025\\n'"
        let recorded = try Self.run(["record", "PartnerRegistered", "--rows", "PIPE", "--data", cli.data], piping: rows)
        #expect(recorded.status == 0, "\(recorded.standardError)")
        #expect(try cli.digest().hasPrefix("3:"))
        let folder = try cli.expect(2, ["append", cli.folder.path])
        #expect(folder.standardError.contains("cannot read \(cli.folder.path): it is a folder, not a file; nothing was written"), "\(folder.standardError)")
    }

    /// The master key from a pipe (`--master-key <(vault read …)`), so that it need never be
    /// written to a disk; a key file that cannot be read says why, and offers to make one only
    /// where there is none.
    @Test func theMasterKeyReadsFromAPipe() throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let revealed = try Self.run(["read", "--reveal", "--master-key", "PIPE", "--data", cli.data], piping: "cat '\(key)'")
        #expect(revealed.status == 0 && revealed.standardOutput.contains("Marisolplain"), "\(revealed.standardError)")
        let missing = try cli.expect(2, ["read", "--reveal", "--master-key", cli.folder.file("none.key")]).standardError
        #expect(missing.contains("cannot read the master key file \(cli.folder.file("none.key")): no such file; make one with `careledger keys init"), "\(missing)")
        let folder = try cli.expect(2, ["read", "--reveal", "--master-key", cli.folder.path]).standardError
        #expect(folder.contains("cannot read the master key file \(cli.folder.path): it is a folder, not a file") && !folder.contains("make one"), "\(folder)")
    }

    /// An input without end (`/dev/zero` named by mistake) was read until the memory ran out,
    /// and so was a file of many gigabytes; each is refused once it is more than the command
    /// reads (a regular file by its size, before any is read), saying what reads a larger one.
    @Test func anInputWithoutEndIsRefused() throws {
        let (cli, _) = try PersonalDataCommandTests.workspace()
        let before = try cli.digest()
        let zero = try cli.expect(2, ["read", "--reveal", "--master-key", "/dev/zero"]).standardError
        #expect(zero.contains("the master key file /dev/zero holds more than 4 KiB, where a master key is 45 bytes of base64"), "\(zero)")
        let huge = cli.folder.file("huge.ndjson")
        #expect(FileManager.default.createFile(atPath: huge, contents: nil) && truncate(huge, 3 << 30) == 0)
        for command in [["append", huge], ["record", "PartnerRegistered", "--rows", huge]] {
            let refused = try cli.expect(2, command).standardError
            #expect(refused.contains("cannot read \(huge): it holds more than 1 GiB, the most this reads"), "\(refused)")
        }
        let append = try cli.expect(2, ["append", huge]).standardError
        #expect(append.contains("`careledger import \(huge)` reads events of any size a block at a time; nothing was written") && !append.contains("held in memory whole"), "\(append)")
        #expect(try cli.digest() == before)
    }
}
