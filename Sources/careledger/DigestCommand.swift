import ArgumentParser
import CareLedger
import LedgerJSON

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the head of the log as one line, SEQ:HASH, to publish.",
        discussion: """
            The line is short enough for board minutes. Anyone holding it can later check, with \
            `careledger verify --digest SEQ:HASH`, that the log still extends it.
            """)

    @OptionGroup var options: DataOptions

    @Flag(help: "Answer with JSON: {\"seq\": …, \"hash\": …}.")
    var json = false

    func run() throws {
        let head = try options.openForReading(withMasterKey: false).head()
        if json {
            printJSON(.object([("seq", .integer(Int64(head.seq.rawValue))), ("hash", .string(head.hash.description))]))
        } else {
            print(head.digestLine)
        }
    }
}
