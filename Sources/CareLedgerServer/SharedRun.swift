/// Costly work run at most once at a time, each run shared by every caller that asked for it
/// before it began.
///
/// `GET /v1/verify` re-reads and re-hashes the whole log and checks its indexes: seconds of a
/// thread for a million events. Run once per request, a few refreshes from any auditor, staff
/// or board token would each take that much of the two cores that appends and queries also
/// need. Here a caller that arrives while a run is going waits for the next
/// run, which begins when that one ends and answers everyone who asked in the meantime. So each
/// answer is about the log as it stood when its caller asked, or later (never an older run's),
/// and at most one run is going, with one more waiting, however many ask.
package actor SharedRun<Value: Sendable> {
    private let work: @Sendable () async throws -> Value
    /// The run made but not begun yet, which callers join.
    private var waiting: Task<Value, any Error>?
    /// The newest run made, going or done: the next one begins after it ends.
    private var newest: Task<Value, any Error>?
    private var made = 0
    /// How many runs have begun: what a test compares with the callers.
    package private(set) var begun = 0
    /// How many callers have asked.
    package private(set) var callers = 0

    package init(_ work: @escaping @Sendable () async throws -> Value) {
        self.work = work
    }

    /// The value of a run that begins after this call: the one waiting to begin, or a new one.
    package func value() async throws -> Value {
        callers += 1
        if let waiting { return try await waiting.value }
        made += 1
        let number = made, previous = newest, work = work
        let run = Task {
            _ = await previous?.result  // one run at a time
            begin(number)  // the task runs on this actor
            return try await work()
        }
        waiting = run
        newest = run
        // Not cancelled with this caller: others may be waiting on the same run.
        return try await run.value
    }

    /// From here on run `number` reads what it reads: later callers wait for the next one.
    private func begin(_ number: Int) {
        if made == number { waiting = nil }
        begun += 1
    }
}
