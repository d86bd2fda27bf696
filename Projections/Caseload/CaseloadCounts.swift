public import CareLedger
public import ProjectionKit

extension Caseload {
    /// How many cases were open on each of `days` (the caseload's `openCases`), as `view`
    /// knows them: for month-end figures. Known at the head, from the sums of openings and
    /// closings per day; known earlier, from every case's stamps.
    ///
    /// A day after the view's as-of date counts the cases open on that date: nothing dated later
    /// is seen (the last month of a period ending mid-month, `2024-04-10..2024-05-05`, has the
    /// cases open on 5 May; it had none).
    public static func openCounts(_ reader: ProjectionReader, view: Viewpoint, on requested: [LocalDate]) throws -> [Int] {
        let name = CaseloadProjection().name
        guard !requested.isEmpty else { return [] }
        let days = requested.map { min($0, view.asOf) }
        var counts = Array(repeating: 0, count: days.count)
        func count(opened: LocalDate, closed: LocalDate?) {
            for (i, day) in days.enumerated() where opened <= day && (closed.map { $0 > day } ?? true) { counts[i] += 1 }
        }
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            // Known at the head: the running sum of each day's openings and closings.
            let family = CaseloadProjection.openingsAndClosings
            let wanted = days.enumerated().sorted { $0.element < $1.element }
            guard let last = wanted.last?.element else { return counts }
            var changes: [(day: LocalDate, change: Int)] = []
            try reader.tallies(name, prefix: RecordKey.prefix(family), before: RecordKey.datePrefix(family, last.adding(days: 1))) { key, sum in
                changes.append((RecordKey.day(in: key, at: RecordKey.prefix(family).count), Int(sum.first ?? 0)))
            }
            var open = 0, next = 0
            for (i, day) in wanted {
                while next < changes.count, changes[next].day <= day {
                    open += changes[next].change
                    next += 1
                }
                counts[i] = open
            }
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
