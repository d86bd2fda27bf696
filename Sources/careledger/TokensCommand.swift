public import ArgumentParser
public import CareLedger

/// `careledger tokens add|list|revoke`.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Make, list and revoke the access tokens of the HTTP endpoint.",
        discussion: """
            A token is shown once, when it is made; only its SHA-256 is kept (in DATA/tokens.json, or \
            --tokens FILE). Roles: writer (appends, reads streams), staff (everything), auditor (every \
            read), board (published figures and organisational events only). A name may hold several.
            With no tokens, `serve` grants every role but listens on loopback only.

            Examples:
              careledger tokens add provider-returns --role writer
              careledger tokens add case-team --role staff --role writer
              careledger tokens add board-2025 --role board
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
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token and print it (once).")
        @Argument(help: "The token's name, such as case-team.") var name: String
        @Option(name: .customLong("role"), help: "A role: writer, staff, auditor or board (repeat for several).")
        var roles: [Role] = []
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            var store = try file.store()
            let token = try store.add(name: name, roles: Set(roles))
            print(token)
            printError("Token \(name) (\(Set(roles).sorted().map(\.rawValue).joined(separator: ", "))) made. It is shown only now: keep it safe. Send it as Authorization: Bearer TOKEN.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens' names, roles and dates (never the tokens).")
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            let store = try file.store()
            if store.entries.isEmpty {
                print("No tokens: `careledger serve` grants every role, on loopback only.")
                return
            }
            print(table(["name", "roles", "created"], store.entries.map { [$0.name, $0.roles.sorted().map(\.rawValue).joined(separator: ","), $0.created] }))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: a running server refuses it at once.")
        @Argument(help: "The token's name.") var name: String
        @OptionGroup var file: TokenFileOptions

        func run() throws {
            var store = try file.store()
            try store.revoke(name: name)
            print("Token \(name) revoked.")
        }
    }
}

extension Role: ExpressibleByArgument {}
