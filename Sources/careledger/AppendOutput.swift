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
    if fresh.isEmpty {
        let count = result.positions.count
        print("Nothing new: \(count == 1 ? "the event was" : "all \(count) events were") already stored.")
    } else {
        print("Appended \(counted(fresh.count, "event")) (seq \(fresh.first!.seq) to \(fresh.last!.seq)).")
    }
    print(table(["seq", "stream", "version", "id", ""], result.positions.map {
        [$0.seq.description, $0.stream.rawValue, $0.streamVersion.description, $0.id.description,
         $0.wasDuplicate ? "already stored" : ""]
    }))
    print("Head: \(result.head.digestLine)")
}

/// Says on standard error what a person should look at in a batch that was checked or landed:
/// its events dated ahead, if any, and for those that landed, the command that mends one.
func printNote(_ datedAhead: DatedAhead) {
    guard let note = datedAhead.note else { return }
    guard case .landed(let seq) = datedAhead.listed.first?.place else { return printError("careledger: note: \(note)") }
    let seqs = datedAhead.count == 1 ? seq.description : "SEQ"
    printError("careledger: note: \(note) (careledger retract \(seqs) --reason \"Wrong date\" --correction right.json does both at once)")
}
