import Foundation
import LedgerTestSupport
import Testing

/// The README's worked example is the first thing a newcomer types, top to bottom: its command
/// lines must run in that order and print what the README shows under them (`#  ` lines).
@Suite struct ReadmeExampleTests {
    /// A command of the README, continuation lines joined, and the output lines shown under it.
    struct Step {
        var command: String
        var shown: [String] = []
    }

    /// The command lines of the first `blocks` shell blocks under `heading`, in order.
    static func steps(ofBlocks blocks: Int, under heading: String, in readme: String) -> [Step] {
        var lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: heading) else { return [] }
        lines = Array(lines[start...])
        var steps: [Step] = []
        var inBlock = false, blocksSeen = 0, continuing = false
        for line in lines {
            if !inBlock {
                if line == "```sh" {
                    guard blocksSeen < blocks else { break }
                    (inBlock, blocksSeen) = (true, blocksSeen + 1)
                }
                continue
            }
            if line == "```" { inBlock = false; continue }
            if continuing, !steps.isEmpty {
                steps[steps.count - 1].command += "\n" + line
            } else if line.hasPrefix("#  "), !steps.isEmpty {
                steps[steps.count - 1].shown.append(String(line.dropFirst(3)))
            } else if !line.hasPrefix("#"), !line.allSatisfy(\.isWhitespace) {
                steps.append(Step(command: line))
            }
            continuing = !line.hasPrefix("#") && line.hasSuffix("\\")
        }
        return steps
    }

    /// The first shell block under `heading`, whole.
    static func block(under heading: String, in readme: String) -> String? {
        guard let start = readme.firstRange(of: "\n" + heading + "\n"),
              let open = readme[start.upperBound...].firstRange(of: "```sh\n"),
              let close = readme[open.upperBound...].firstRange(of: "\n```\n") else { return nil }
        return String(readme[open.upperBound..<close.lowerBound])
    }

    /// What of a shown line must appear in the output, in order: the pieces between its `…`s,
    /// less a remark in parentheses after two spaces and less the start of an id or a hash
    /// before a `…` (`7be9…`, `01a2…`: they differ run to run).
    static func pieces(of shown: String) -> [String] {
        let line = shown.replacing(#/\s{2,}\(.*\)$/#, with: "")
        let parts = line.split(separator: "…", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().compactMap { index, part in
            var piece = part
            if index < parts.count - 1, let match = piece.firstMatch(of: #/[0-9a-f-]{4,}$/#), match.output.contains(where: \.isNumber) {
                piece = String(piece[..<match.range.lowerBound])
            }
            return piece.isEmpty ? nil : piece
        }
    }

    /// `command` without the README's remarks beside it (after two spaces, a `#`).
    static func withoutComment(_ command: String) -> String {
        command.replacing(#/ {2,}#.*/#, with: "")
    }

    /// Runs `command` with bash in `folder`, as a person's shell would, and returns its exit
    /// status and what it printed, standard output and standard error as they came.
    static func shell(_ command: String, in folder: TemporaryFolder, environment: [String: String]) throws -> (status: Int32, printed: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail\n" + command]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let printed = try process.runPrinting()
        return (process.terminationStatus, printed)
    }

    /// The README, read from the repository these tests belong to.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    static func readme() throws -> String {
        try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// An environment with the built `careledger` first on `PATH`, `HOME` in `folder` and no
    /// `CARELEDGER_` variable of the test's own.
    static func environment(in folder: TemporaryFolder) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CARELEDGER_") }
        environment["PATH"] = URL(fileURLWithPath: CareLedgerBinary.path).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = folder.path
        return environment
    }

    /// The one bash script that runs `steps` as a person's terminal session would, variables and
    /// exports carried from line to line, each step between markers that carry its exit status
    /// (`@@step N@@` … `@@status N S@@`), standard error with standard output. A `serve` line starts
    /// the server in the background on a port of its choosing, after stopping the one before (a
    /// person's Ctrl-C), and `curl` connects there for `localhost:8080`, failing on an HTTP error.
    /// Left out: building and putting the build on `PATH` (done), and a command holding a `…` (an
    /// id or a digest of the README's own run). Changed: `/backups/…` is made inside the folder,
    /// the million-event demo is a small one, and a token's last day is one still to come: where,
    /// how big and which day are not what is tested.
    static func session(_ steps: [Step]) -> (script: String, ran: [Int]) {
        var script = """
            exec 2>&1
            set -o pipefail
            server=
            stop_server() { if [ -n "$server" ]; then kill "$server"; wait "$server"; fi; }
            trap stop_server EXIT
            trap 'stop_server; exit 143' TERM

            """
        var ran: [Int] = []
        for (index, step) in steps.enumerated()
        where !["swift build", "export PATH"].contains(where: step.command.hasPrefix) && !withoutComment(step.command).contains("…") {
            var command = step.command.replacing("/backups/", with: "backups/").replacing("--workers 48000", with: "--workers 48")
                .replacing(#/--valid-until \d{4}-\d{2}-\d{2}/#, with: "--valid-until 9999-12-31")
            if command.hasPrefix("careledger serve") {
                command = """
                    stop_server
                    \(withoutComment(command).replacing("--port 8080", with: "--port 0")) > serve.log 2>&1 &
                    server=$!
                    for _ in $(seq 600); do grep -q '^careledger serving' serve.log && break; sleep 0.1; done
                    cat serve.log
                    port=$(grep -o 'http://127.0.0.1:[0-9]*' serve.log | head -1 | cut -d: -f3)
                    [ -n "$port" ]
                    """
            }
            command = command.replacing("curl -s ", with: #"curl -sS --fail-with-body --connect-to "localhost:8080:127.0.0.1:$port" "#)
            script += "printf '\\n@@step \(index)@@\\n'\n\(command)\nprintf '\\n@@status \(index) %d@@\\n' \"$?\"\n"
            ran.append(index)
        }
        return (script, ran)
    }

    /// What step `index` printed and its exit status, from the output of ``session(_:)``.
    static func printed(by index: Int, in output: String) -> (status: Int32?, printed: String) {
        guard let start = output.firstRange(of: "\n@@step \(index)@@\n") else { return (nil, "") }
        let rest = output[start.upperBound...]
        guard let end = rest.firstMatch(of: try! Regex("\n@@status \(index) ([0-9]+)@@\n")) else { return (nil, String(rest)) }
        return (Int32(end.output[1].substring ?? ""), String(rest[..<end.range.lowerBound]))
    }

    /// The worked example's command lines, in order, run as one terminal session in a folder of
    /// their own (``session(_:)``), with the built `careledger` first on `PATH` and `HOME` there
    /// too: the log, the read models, HTTP with tokens, personal data.
    @Test func theWorkedExampleRunsAndPrintsWhatTheReadmeShows() throws {
        let steps = Self.steps(ofBlocks: 4, under: "## A worked example", in: try Self.readme())
        let folder = TemporaryFolder("readme")
        try FileManager.default.createSymbolicLink(atPath: folder.file("Tests"), withDestinationPath: Self.repository.appendingPathComponent("Tests").path)
        let (script, ran) = Self.session(steps)
        let (status, output) = try Self.shell("timeout 900 bash \(folder.write("session.sh", script))", in: folder, environment: Self.environment(in: folder))
        #expect(status == 0, "the session ended with \(status)")
        for index in ran {
            let step = steps[index]
            let (status, printed) = Self.printed(by: index, in: output)
            let refused = step.shown.first?.hasPrefix("careledger: ") == true
            #expect(refused ? status != 0 : status == 0, "`\(step.command)` exited \(status.map(String.init) ?? "never"):\n\(printed)")
            for shown in step.shown {
                var rest = Substring(printed)
                for piece in Self.pieces(of: shown) {
                    guard let found = rest.firstRange(of: piece) else {
                        Issue.record("`\(step.command)` printed no \"\(piece)\" (README: \"\(shown)\"):\n\(printed)")
                        break
                    }
                    rest = rest[found.upperBound...]
                }
            }
        }
        // Every kind of step was found: a refusal, output shown, the read models, the server.
        #expect(ran.count >= 40, "\(ran.count) commands ran")
        #expect(ran.contains { steps[$0].command.hasPrefix("careledger serve") } && ran.contains { steps[$0].command.hasPrefix("curl") })
        #expect(steps.contains { $0.shown.first?.hasPrefix("careledger: ") == true })
        #expect(steps.filter { !$0.shown.isEmpty }.count >= 8)
        #expect(steps.contains { $0.command.hasPrefix("careledger projections rebuild") })
    }

    /// The nightly job of "Running it for a programme", run as written (its folders inside the
    /// test's): the first night, with no digest kept yet, backs up, verifies and keeps the head;
    /// the next also checks that the log extends that head and lists what was recorded since;
    /// and on a night after a stored event was rewritten, it stops at the verification, keeping
    /// no head for that night.
    @Test func theNightlyJobRunsAsWrittenNightAfterNight() throws {
        let job = try #require(Self.block(under: "### Running it for a programme", in: try Self.readme()))
            .replacing("/srv/", with: "srv/").replacing("/backups/", with: "backups/")
        let folder = TemporaryFolder("nightly")
        let environment = Self.environment(in: folder)
        let sample = Self.repository.appendingPathComponent("Tests/Fixtures/programme-sample.ndjson").path
        let partner = #"{"type":"PartnerRegistered","schemaVersion":1,"occurredOn":"2024-04-02","data":{"partnerId":"PT-NIGHT","name":"Tamperville Advice","kind":"adviceService"}}"#
        let made = try Self.shell("mkdir backups && careledger init --data srv/careledger && careledger import --data srv/careledger '\(sample)' "
                                  + "&& echo '\(partner)' | careledger append --data srv/careledger", in: folder, environment: environment)
        try #require(made.status == 0, "\(made.printed)")
        func night(_ name: String) throws -> (status: Int32, printed: String, digests: [Substring]) {
            let (status, printed) = try Self.shell(job.replacing("day=$(date +%F)", with: "day=\(name)"), in: folder, environment: environment)
            let digests = (try? String(contentsOfFile: folder.file("srv/digests.txt"), encoding: .utf8))?.split(separator: "\n") ?? []
            return (status, printed, digests)
        }
        let first = try night("first")
        #expect(first.status == 0, "\(first.printed)")
        #expect(first.digests == ["601:" + (first.digests.first?.dropFirst(4) ?? "")] && !first.printed.contains("published digest"), "\(first.printed)")

        let retracted = try Self.shell("careledger retract 600 --data srv/careledger --reason 'Checked by share code'", in: folder, environment: environment)
        try #require(retracted.status == 0, "\(retracted.printed)")
        let second = try night("second")
        #expect(second.status == 0, "\(second.printed)")
        #expect(second.printed.contains("The log extends the published digest \(first.digests[0])."), "\(second.printed)")
        #expect(second.printed.contains("Recorded since \(first.digests[0])"), "\(second.printed)")
        #expect(second.digests.count == 2 && second.digests[1].hasPrefix("602:"), "\(second.digests)")

        #expect(try changeFirstByte(of: "Tamperville", inPlaceIn: folder.file("srv/careledger/ledger/data.mdb")) >= 1)
        let third = try night("third")
        #expect(third.status == 1, "\(third.printed)")
        #expect(third.printed.contains("seq 601"), "\(third.printed)")
        #expect(third.digests.count == 2, "no head is kept on a night the log fails verification")
    }
}
