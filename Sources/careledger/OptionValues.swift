import ArgumentParser
import CareLedger

/// Why an option's value was refused. ArgumentParser prints it after "The value 'X' is invalid
/// for '--option <value>': ", so it says what to write instead, not what was written.
struct OptionValueProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The values of options whose form is the ledger's own (a seq, a published digest, a stream, a
/// date, an interval), parsed so that a refusal says why: without a reason ArgumentParser says
/// only that the value is invalid, and an auditor who pasted a digest cut short at 63 digits is
/// left to count them.
enum OptionValue {
    /// A global seq: a whole number from 1 up.
    @Sendable static func seq(_ text: String) throws -> Seq {
        guard let value = UInt64(text), value >= 1 else {
            throw OptionValueProblem(text == "0" ? "seqs count from 1, the log's first event" : "a seq is a whole number from 1 up, such as 1200")
        }
        return Seq(value)
    }

    /// `SEQ:HASH`, as `careledger digest` prints it.
    @Sendable static func digest(_ text: String) throws -> PublishedDigest {
        guard let digest = PublishedDigest(text) else { throw OptionValueProblem(PublishedDigest.problem(with: text) ?? "") }
        return digest
    }

    /// A stream's name, `KIND-ID`.
    @Sendable static func stream(_ text: String) throws -> StreamID {
        guard let stream = StreamID(text) else { throw OptionValueProblem(streamForm) }
        return stream
    }

    /// `STREAM=VERSION`, as `--expect` takes it.
    @Sendable static func expectation(_ text: String) throws -> StreamExpectation {
        let form = "write STREAM=VERSION, such as worker-W-00123=4 (0: the stream must not exist yet)"
        guard let equals = text.lastIndex(of: "=") else { throw OptionValueProblem("it has no \"=\": \(form)") }
        guard let stream = StreamID(String(text[..<equals])) else { throw OptionValueProblem("\(streamForm); \(form)") }
        guard let version = UInt64(text[text.index(after: equals)...]) else {
            throw OptionValueProblem("the version after \"=\" is a whole number from 0 up: \(form)")
        }
        return StreamExpectation(stream: stream, version: StreamVersion(version))
    }

    /// Every event type's name, for shell completion.
    static let eventTypes = CompletionKind.list(EventType.allCases.map(\.rawValue))

    /// An event type, by its exact name; a near miss is named (`EmploymentEnd`: did you mean
    /// EmploymentEnded?) rather than all thirty listed.
    @Sendable static func eventType(_ text: String) throws -> EventType {
        guard let type = EventType(rawValue: text) else {
            let hint = NearestName.hint(for: text, among: EventType.allCases.map(\.rawValue))
            throw OptionValueProblem("no event type is called \"\(text)\"\(hint): `careledger schemas` lists them, with their fields")
        }
        return type
    }

    /// `YYYY-MM-DD`.
    @Sendable static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(text) else {
            throw OptionValueProblem("write a date as YYYY-MM-DD, such as 2027-03-31\(LocalDate.hint(for: text))")
        }
        return date
    }

    /// `24h`, `30m`, `90s` or `7d`.
    @Sendable static func interval(_ text: String) throws -> Interval {
        guard let interval = Interval(text) else {
            throw OptionValueProblem("write a whole number and a unit, s, m, h or d, such as 24h, 30m, 90s or 7d (at most 366 days)")
        }
        return interval
    }

    private static let streamForm =
        "a stream is KIND-ID, such as worker-W-00123 or case-C-9: the kind in small letters, the id \(EntityID.form)"
}

/// `STREAM=VERSION`: the version `--expect` requires a stream to be at.
struct StreamExpectation {
    let stream: StreamID
    let version: StreamVersion
}

extension [StreamExpectation] {
    /// The versions `--expect` names, by stream (the last given for a stream wins), as a batch takes them.
    var versions: [StreamID: StreamVersion] {
        var versions: [StreamID: StreamVersion] = [:]
        for expectation in self { versions[expectation.stream] = expectation.version }
        return versions
    }
}
