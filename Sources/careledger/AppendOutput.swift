import CareLedger

/// What `append` and `record` say of a batch that landed: JSON as `POST /v1/events` answers,
/// or, for a person, what is new, each event's position, and the head to publish.
func printAppended(_ result: AppendResult, json: Bool) {
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
