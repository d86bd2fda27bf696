import CareLedger

/// What `append` and `record` say of a batch that landed: JSON as `POST /v1/events` answers,
/// or, for a person, what is new, each event's position, and the head to publish; and, on
/// standard error either way, a note of new events dated ahead.
func printAppended(_ result: AppendResult, json: Bool) {
    printNote(result.datedAhead)
    if json {
        printJSON(result.json)
        return
    }
    let fresh = result.positions.filter { !$0.wasDuplicate }
    let count = result.positions.count
    if fresh.isEmpty {
        print("Nothing new: \(count == 1 ? "the event was" : "all \(count) events were") already stored.")
    } else {
        let stored = count - fresh.count
        let skipped = stored == 0 ? "" : " \(counted(stored, "event")) \(stored == 1 ? "was" : "were") already stored."
        print("Appended \(counted(fresh.count, "event")) (seq \(fresh.first!.seq) to \(fresh.last!.seq)).\(skipped)")
    }
    // A provider's return of hundreds of rows is not read position by position on a terminal.
    let shown = count > appendedRowsListed ? result.positions.prefix(appendedRowsListed / 2) : result.positions[...]
    print(table(["seq", "stream", "version", "id", ""], shown.map {
        [$0.seq.description, $0.stream.rawValue, $0.streamVersion.description, $0.id.description,
         $0.wasDuplicate ? "already stored" : ""]
    }))
    if shown.count < count { print("… and \(count - shown.count) more (--json lists every position)") }
    print("Head: \(result.head.digestLine)")
}

/// The most positions the table of a landed batch lists; a larger batch lists half as many,
/// then how many more there are.
let appendedRowsListed = 20

/// Says on standard error what a person should look at in a batch that was checked or landed:
/// its events dated ahead, if any, and for those that landed, the command that mends one.
func printNote(_ datedAhead: DatedAhead) {
    guard let note = datedAhead.note else { return }
    guard case .landed(let seq) = datedAhead.listed.first?.place else { return printError("careledger: note: \(note)") }
    let seqs = datedAhead.count == 1 ? seq.description : "SEQ"
    printError("careledger: note: \(note) (careledger retract \(seqs) --reason \"Wrong date\" --mend occurredOn=YYYY-MM-DD does both at once)")
}
