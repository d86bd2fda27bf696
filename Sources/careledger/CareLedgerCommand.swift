import ArgumentParser
import CareLedger
import Foundation
import LMDBStore
#if canImport(Glibc)
import Glibc
#endif

/// `careledger`: the command line of the ledger.
@main
struct CareLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "careledger",
        abstract: "An append-only, hash-chained ledger of a care workforce programme.",
        discussion: """
            Every recruitment, onboarding, training, revocation, re-placement and support event goes \
            into an append-only log. Auditors verify that nobody rewrote it; staff append events and \
            follow the caseload, retention and partner activity; boards read published figures.

            The data folder is --data DIR, else $CARELEDGER_DATA, else ./careledger-data.
            Commands that only read (verify, digest, changes, read, stats, query,
            timeline, access-log, audit-pack, backup) also work on a copy you may not
            write, such as an auditor's: they change no file in it, and say how they
            read it.

            Start here:
              careledger init --data ./ledger
              careledger schemas EmploymentStarted       # its fields; an example
              careledger append --data ./ledger events.ndjson
              careledger record --data ./ledger WorkerArrived --on 2024-06-03 \\
                workerRef=W-00123                        # one event, from its fields
              careledger schemas EmploymentEnded --xlsx > leavers.xlsx  # to send out
              careledger record --data ./ledger EmploymentEnded --rows leavers.xlsx
              careledger read --data ./ledger --stream worker-W-00123
              careledger verify --data ./ledger
              careledger digest --data ./ledger          # publish this line; later:
              careledger verify --data ./ledger --digest 1200:9f86d0…
              careledger changes --data ./ledger --since 1200:9f86d0…  # since then
              careledger projections verify --data ./ledger  # read models vs the log
              careledger retract --data ./ledger 812 --reason "Wrong worker"  # a mistake
              careledger query caseload --data ./ledger --as-of 2025-03-31
              careledger timeline programme --data ./ledger --period 2024-25 --publish
              careledger serve --data ./ledger           # HTTP and the dashboard

            Personal data (pii, notes) is stored only encrypted; keep the master key apart:
              careledger keys init --master-key ~/careledger.key
              export CARELEDGER_MASTER_KEY_FILE=~/careledger.key
              careledger read --stream worker-W-00123 --reveal   # recorded first
              careledger access-log                # who saw which worker, how, when
              careledger erase W-00123 --request DSR-2025-017
              careledger audit-pack --period 2024-25 --out pack
              careledger audit-pack verify pack    # offline, without the ledger

            Exit codes: 0 done; 1 a check failed (verification, not found); 2 usage; \
            3 rejected input (nothing written); 4 conflict (nothing written); 5 storage error.
            """,
        version: Version.text,
        subcommands: [
            InitCommand.self, AppendCommand.self, RecordCommand.self, ImportCommand.self, ReadCommand.self,
            VerifyCommand.self, DigestCommand.self, ChangesCommand.self, QueryCommand.self, TimelineCommand.self, ProjectionsCommand.self,
            RetractCommand.self, ServeCommand.self, TokensCommand.self, KeysCommand.self, EraseCommand.self, AccessLogCommand.self, AuditPackCommand.self,
            StatsCommand.self, BackupCommand.self, DemoCommand.self, SchemasCommand.self, WorkbookSheetCommand.self,
        ]
    )

    /// Parses and runs, then exits with SPEC section 7's codes (argument-parser's own usage code is 64).
    static func main() async {
        // A data file damaged or cut short, or an input cut short under its map: said in words,
        // with SPEC's statuses, rather than a crash report.
        MappedFiles.explainFaults(program: "careledger", storageStatus: ExitStatus.storage,
                                  verificationStatus: ExitStatus.checkFailed, inputStatus: ExitStatus.usage,
                                  rebuildAdvice: "rebuild the read models with `careledger projections rebuild` (the log is not affected)")
        do {
            var command = try parseAsRoot()
            // Temporary files and folders go too when Ctrl-C or a closed pipe ends a command
            // (serve has a graceful shutdown on SIGINT and SIGTERM of its own; NIO ignores SIGPIPE).
            if !(command is ServeCommand) { ScratchPaths.removeOnTermination() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            try StandardOutput.finish()
        } catch {
            exitWith(error)
        }
    }

    static func exitWith(_ error: any Error) -> Never {
        if let error = error as? LedgerError {
            var message = "careledger: \(error)"
            if error.code == .rejected || error.code == .conflict || error.code == .tooLarge {
                message += "\nNothing was written."
            }
            printError(message)
            Glibc.exit(ExitStatus.code(for: error.code))
        }
        if let error = error as? CheckFailed {
            do { try StandardOutput.finish() } catch { exitWith(error) }  // a report cut short says so
            Glibc.exit(error.status)
        }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Glibc.exit(0)
        }
        if let exitCode = error as? ExitCode {
            Glibc.exit(exitCode.rawValue)
        }
        printError(fullMessage(for: error))
        Glibc.exit(ExitStatus.usage)
    }
}

/// SPEC section 7's exit codes.
enum ExitStatus {
    static let checkFailed: Int32 = 1
    static let usage: Int32 = 2
    static let rejected: Int32 = 3
    static let conflict: Int32 = 4
    static let storage: Int32 = 5

    static func code(for code: LedgerError.Code) -> Int32 {
        switch code {
        case .rejected, .tooLarge: rejected
        case .conflict: conflict
        case .notFound, .verificationFailed: checkFailed
        case .usage: usage
        default: storage
        }
    }
}

/// A check that failed after its report was printed: exits with `status` and no more words.
struct CheckFailed: Error {
    let status: Int32
}

/// Writes `message` to standard error, its control characters shown rather than run: a
/// refusal quotes what was sent (``TerminalText``).
func printError(_ message: String) {
    var standardError = StandardError()
    print(TerminalText.visible(message, multiline: true), to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { StandardStream.error.write(string) }
}
