internal import LMDBStore

/// Where an event came from, for error messages: its index in a batch or its line in a file.
public enum EventLocation: Sendable, Hashable, CustomStringConvertible {
    /// The zero-based index of the event in a batch (`{"events": [...]}`).
    case index(Int)
    /// The one-based line of an NDJSON text.
    case line(Int)

    public var description: String {
        switch self {
        case .index(let i): "event \(i)"
        case .line(let n): "line \(n)"
        }
    }
}

/// An error a person can act on: what kind it is, and everything needed to fix the input.
///
/// Domain errors know nothing of HTTP or exit codes; the CLI and the server translate ``code``.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. An opaque struct, so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String { case rejected, conflict, notFound, verificationFailed, storage, damaged, usage, tooLarge, unavailable }
        private let kind: Kind

        /// The input breaks a rule of the contract; nothing was written.
        public static let rejected = Code(kind: .rejected)
        /// An expected stream version did not hold, or an event id was reused with other content.
        public static let conflict = Code(kind: .conflict)
        /// Something asked for does not exist.
        public static let notFound = Code(kind: .notFound)
        /// A verification found the log altered.
        public static let verificationFailed = Code(kind: .verificationFailed)
        /// The data folder or its storage failed.
        public static let storage = Code(kind: .storage)
        /// The log's data file is damaged (emptied, cut short, not an LMDB file): a storage
        /// error for a command that needs the log, a failed check for one that verifies it.
        public static let damaged = Code(kind: .damaged)
        /// The request itself is malformed (an option, a period, an instant).
        public static let usage = Code(kind: .usage)
        /// An event over 64 KiB, or a body over the limit.
        public static let tooLarge = Code(kind: .tooLarge)
        /// A long-running process cannot do this now for a reason of its operator's, not of the
        /// request's (it was started without the master key, or its key was replaced by a
        /// rotation since it started): nothing was written, and the same request succeeds once
        /// the operator has put that right.
        public static let unavailable = Code(kind: .unavailable)

        public var description: String { kind.rawValue }

        /// The kind its ``description`` names, as another process wrote it (a workbook read in
        /// a child process of the server's), or `nil` for a name no kind has.
        package init?(named name: String) {
            guard let kind = Kind(rawValue: name) else { return nil }
            self.init(kind: kind)
        }

        private init(kind: Kind) { self.kind = kind }
    }

    /// What kind of failure this is: the CLI maps it to an exit code, the server to a status.
    public let code: Code
    /// The event the error is about, when there is one.
    public let location: EventLocation?
    /// A JSON pointer into that event, such as `/data/contractType`.
    public let pointer: String?
    /// The rule broken, or what went wrong, in words.
    public let rule: String
    /// For a reference to a worker, provider, partner or case that does not exist: the stream
    /// that would hold it (`worker-W-9`), so that a check can say which later event creates it.
    package var missingStream: String?
    /// The event's other mistakes against its schema, after this one, the first: a batch is
    /// refused for the first, and a check lists them all, so that a row is mended at once.
    package var laterProblems: [LedgerError] = []

    /// An error of kind `code` breaking `rule`, optionally at an event and a JSON pointer in it.
    public init(_ code: Code, _ rule: String, location: EventLocation? = nil, pointer: String? = nil) {
        self.code = code
        self.location = location
        self.pointer = pointer
        self.rule = rule
    }

    /// One line: location, pointer and rule, such as
    /// `event 4: /data/contractType: must be one of permanent, …, not "perm"`.
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let pointer { parts.append(pointer.isEmpty ? "/" : pointer) }
        parts.append(rule)
        return parts.joined(separator: ": ")
    }

    /// `DOING failed: ERROR`, naming a full file system where that is the cause (a full disk
    /// can reach LMDB as an "Input/output error"). With `nothingWritten`, for a write
    /// transaction that failed, says that none of it landed, as LMDB guarantees.
    package static func storage(_ error: any Error, _ doing: String, nothingWritten: Bool = false) -> LedgerError {
        let outcome = nothingWritten ? "; nothing was written" : ""
        if let full = (error as? LMDBError)?.fullFileSystem {
            return LedgerError(.storage, "\(doing) failed: \(full) (\(error)): free some space there and run it again\(outcome)")
        }
        return LedgerError(.storage, "\(doing) failed: \(error)\(outcome)")
    }
}
