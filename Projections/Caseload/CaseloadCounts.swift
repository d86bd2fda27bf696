public import CareLedger
public import ProjectionKit

extension Caseload {
    /// How many cases were open on each of `days` (the caseload's `openCases`), as `view`
    /// knows them: for month-end figures, read from stamps alone.
    public static func openCounts(_ reader: ProjectionReader, view: Viewpoint, on days: [LocalDate]) throws -> [Int] {
        let name = CaseloadProjection().name
        guard let first = days.min() else { return [] }
        var counts = Array(repeating: 0, count: days.count)
        func count(opened: LocalDate, closed: LocalDate?) {
            for (i, day) in days.enumerated() where opened <= day && day <= view.asOf && (closed.map { $0 > day } ?? true) { counts[i] += 1 }
        }
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            try reader.scan(name, prefix: RecordKey.prefix("open"), from: RecordKey.datePrefix("open", first.adding(days: 1)), where: { stamps in
                if let opening = stamps.first { count(opened: opening.occurredOn, closed: opening.date) }
                return false
            }) { _, _ in }
        } else {
            let opened = Tag.opened.rawValue, closed = Tag.closed.rawValue
            try reader.scan(name, prefix: RecordKey.prefix("case"), where: { stamps in
                var openedOn: LocalDate?
                var closedOn: LocalDate?
                for stamp in stamps where view.sees(stamp) {
                    if stamp.tag == opened { openedOn = min(openedOn ?? stamp.occurredOn, stamp.occurredOn) }
                    if stamp.tag == closed { closedOn = min(closedOn ?? stamp.occurredOn, stamp.occurredOn) }
                }
                if let openedOn { count(opened: openedOn, closed: closedOn) }
                return false
            }) { _, _ in }
        }
        return counts
    }
}
