import CareLedger
import LedgerJSON

/// What `careledger retract` says: the events it retracts, in words, and what became of them.
extension RetractCommand {
    /// An event named for retraction, as stored, and how a person reads it.
    struct Target {
        let stored: StoredEvent
        /// The stored form as a value, read once: for its words here and for `--mend`'s copy.
        let event: JSONValue
        /// Its id, which the right fact's `meta.corrects` names.
        let id: String
        /// `seq 812, ReferralMade in case-C-1, dated 2024-03-02: Referral R-1 from PT-1 to PT-2`.
        let described: String

        init(_ stored: StoredEvent) throws {
            let event = try stored.json()
            let type = event["type"]?.stringValue ?? "?", stream = event["stream"]?.stringValue ?? "?"
            let summary = EventType(rawValue: type).map { EventSummary.of($0, data: event["data"] ?? .object([])) } ?? type
            self.stored = stored
            self.event = event
            id = event["id"]?.stringValue ?? "?"
            described = TerminalText.visible("seq \(stored.seq), \(type) in \(stream), dated \(event["occurredOn"]?.stringValue ?? "?"): \(summary)")
        }
    }

    /// A refusal of one event of the batch, said of what the person named: a retraction's, of
    /// the event given as an argument; the correction's, of the file it came from.
    func said(_ problem: LedgerError, _ targets: [Target]) -> LedgerError {
        let index: Int
        switch problem.location {
        case .index(let i)?: index = i
        default: index = 0
        }
        guard index >= targets.count else { return LedgerError(problem.code, "cannot retract \(targets[index].described): \(problem.rule)") }
        let corrected = targets[min(index - targets.count, targets.count - 1)]
        let correction = mends.isEmpty ? "the correction in \(InputFile.name(correction))" : "the mended copy of seq \(corrected.stored.seq)"
        return LedgerError(problem.code, "\(correction): \(problem.pointer.map { "\($0.isEmpty ? "/" : $0): " } ?? "")\(problem.rule)")
    }

    /// `--check`'s answer when every event would land.
    func printWouldRetract(_ targets: [Target], correctedBy rightFacts: [JSONValue]) {
        if targets.count == 1 && rightFacts.isEmpty { return print("Would retract \(targets[0].described). Nothing was written.") }
        for target in targets { print("Would retract \(target.described).") }
        guard !rightFacts.isEmpty else { return print("In one batch. Nothing was written.") }
        if rightFacts.count == 1 { return print("Would append the correction with it, in one batch: \(Self.describe(rightFacts[0])). Nothing was written.") }
        for (target, rightFact) in zip(targets, rightFacts) { print("Would append the correction of seq \(target.stored.seq): \(Self.describe(rightFact)).") }
        print("In one batch. Nothing was written.")
    }

    /// What landed: each retraction, each correction or how to record the right fact, the head.
    func printRetracted(_ targets: [Target], correctedBy rightFacts: [JSONValue], _ result: AppendResult) {
        for (target, position) in zip(targets, result.positions) {
            print("Retracted \(target.described).")
            print("EventRetracted at seq \(position.seq) (\(position.stream) version \(position.streamVersion)): read models leave the event out from now on; timelines keep it, marked retracted.")
        }
        for (offset, rightFact) in rightFacts.enumerated() where targets.count + offset < result.positions.count {
            let corrected = result.positions[targets.count + offset]
            let how = corrected.wasDuplicate ? "already stored with the same content, at" : "appended at"
            print("The correction, \(how) seq \(corrected.seq) (\(corrected.stream) version \(corrected.streamVersion)), with \"meta\": {\"corrects\": \"\(targets[offset].id)\"}: \(Self.describe(rightFact)).")
        }
        if rightFacts.isEmpty && targets.count == 1 {
            print("To record the right fact, append it as a new event with \"meta\": {\"corrects\": \"\(targets[0].id)\"} (retract --correction FILE lands the two in one batch).")
        } else if rightFacts.isEmpty {
            print("To record the right facts, append each as a new event with \"meta\": {\"corrects\": ID}, the id of the event it replaces: \(targets.map(\.id).joined(separator: ", ")).")
        }
        print("Head: \(result.head.digestLine)")
    }

    /// The one event in `file`, as JSON; refused (exit 3) when it holds anything else.
    static func correctionEvent(in file: String) throws(LedgerError) -> JSONValue {
        let bytes = try InputFile.bytes(file)
        let text = String(decoding: FileLineReader.startsWithByteOrderMark(bytes) ? bytes.dropFirst(3) : bytes[...], as: UTF8.self)
        do {
            return try JSONValue(parsing: text)
        } catch {
            let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.count
            let several = lines > 1 && text.split(whereSeparator: \.isNewline).allSatisfy { $0.allSatisfy(\.isWhitespace) || $0.first(where: { !$0.isWhitespace }) == "{" }
            let why = several ? "it holds \(lines) lines: a correction is one event, the right fact (append the others with `append`)" : "not JSON: \(error)"
            throw LedgerError(.rejected, "the correction in \(InputFile.name(file)): \(why)")
        }
    }

    /// `ReferralMade dated 2024-03-02: Referral R-2 from PT-1 to PT-3`: the correction in words.
    static func describe(_ event: JSONValue) -> String {
        guard let type = event["type"]?.stringValue else { return "an event" }
        let dated = event["occurredOn"]?.stringValue.map { " dated \($0)" } ?? ""
        return TerminalText.visible(EventType(rawValue: type).map { "\(type)\(dated): \(EventSummary.of($0, data: event["data"] ?? .object([])))" } ?? type)
    }
}
