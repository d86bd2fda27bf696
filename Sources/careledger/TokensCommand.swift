public import ArgumentParser
public import CareLedger
import Foundation

/// `careledger tokens add|list|revoke`.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Make, list and revoke the access tokens of the HTTP endpoint.",
        discussion: """
            A token is shown once, when it is made; only its SHA-256 is kept (in DATA/tokens.json, or \
            --tokens FILE). Roles: writer (appends, reads streams), staff (everything), auditor (every \
            read), board (published figures and organisational events only). A name may hold several. \
            --valid-until DAY makes a token stop working after that day (UTC), for access that should \
            end on its own: a return window, a contractor, an audit.
            With no tokens, `serve` grants every role but listens on loopback only.

            Examples:
              careledger tokens add provider-returns --role writer
              careledger tokens add case-team --role staff --role writer
              careledger tokens add board-2025 --role board
              careledger tokens add audit-2026-27 --role auditor --valid-until 2027-06-30
              careledger tokens list
              careledger tokens revoke provider-returns
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct TokenFileOptions: ParsableArguments {
        @OptionGroup var options: DataOptions
        @Option(help: ArgumentHelp("The token file (default: DATA/tokens.json).", valueName: "file"))
        var tokens: String?

        func store() throws -> TokenStore {
            try TokenStore(path: tokens ?? TokenStore.defaultPath(in: options.folder))
        }

        /// The store, from a file that exists if one was named: for commands that only read or
        /// remove, where a mistyped --tokens path would read as "no tokens".
        func existingStore() throws -> TokenStore {
            try requireNamedTokenFile(tokens)
            return try store()
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token and print it (once).")
        @Argument(help: "The token's name, such as case-team.") var name: String
        @Option(name: .customLong("role"), help: "A role: writer, staff, auditor or board (repeat for several).")
        var roles: [Role] = []
        @Option(help: ArgumentHelp("The last day (UTC) the token works; without it, until revoked.", valueName: "yyyy-mm-dd"), transform: OptionValue.date)
        var validUntil: LocalDate?
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            var store = try file.store()
            let token = try store.add(name: name, roles: Set(roles), validUntil: validUntil)
            print(token)
            let until = validUntil.map { ", valid until \($0)" } ?? ""
            printError("Token \(name) (\(Set(roles).sorted().map(\.rawValue).joined(separator: ", "))\(until)) made. It is shown only now: keep it safe. Send it as Authorization: Bearer TOKEN.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens' names, roles and dates (never the tokens).")
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            let store = try file.existingStore()
            if store.entries.isEmpty {
                print("No tokens: `careledger serve` grants every role, on loopback only.")
                return
            }
            let now = Instant.now()
            print(table(["name", "roles", "created", "valid until"], store.entries.map { entry in
                let until = entry.validUntil.map { $0.description + (entry.hasExpired(at: now) ? " (expired)" : "") } ?? "until revoked"
                return [entry.name, entry.roles.sorted().map(\.rawValue).joined(separator: ","), entry.created, until]
            }))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: a running server refuses it at once.")
        @Argument(help: "The token's name.") var name: String
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            var store = try file.existingStore()
            try store.revoke(name: name)
            print("Token \(name) revoked.")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Refuses a token file named with `--tokens` that does not exist: a mistyped path, not "no
/// tokens" (`serve` would grant every role to this machine's user without a word; `tokens list`
/// would say there are none).
func requireNamedTokenFile(_ tokens: String?) throws(LedgerError) {
    guard let tokens, !FileManager.default.fileExists(atPath: tokens) else { return }
    throw LedgerError(.usage, "there is no token file at \(tokens) (--tokens); make one with careledger tokens add NAME --role ROLE --tokens \(ShellWord.quoted(tokens)), or leave --tokens out to use the data folder's")
}
