public import ArgumentParser
public import CareLedger
import Foundation

/// The data folder, accepted by every subcommand.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The data folder (default: $CARELEDGER_DATA, else ./careledger-data).", valueName: "dir"))
    var data: String?

    var folder: String {
        data ?? ProcessInfo.processInfo.environment["CARELEDGER_DATA"] ?? "./careledger-data"
    }

    func open(readOnly: Bool = false) throws -> Ledger {
        try Ledger(folder: folder, readOnly: readOnly)
    }
}

/// `STREAM=VERSION`, as `--expect` takes it.
struct StreamExpectation: ExpressibleByArgument {
    let stream: StreamID
    let version: StreamVersion

    init?(argument: String) {
        guard let equals = argument.lastIndex(of: "="),
              let stream = StreamID(String(argument[..<equals])),
              let version = UInt64(argument[argument.index(after: equals)...]) else { return nil }
        self.stream = stream
        self.version = StreamVersion(version)
    }
}

extension Seq: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = UInt64(argument), value >= 1 else { return nil }
        self.init(value)
    }
}

extension EventType: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension StreamID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
