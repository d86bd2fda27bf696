@testable import CareLedgerServer
import Foundation
import Synchronization
import Testing

/// Posted spreadsheets are read one at a time, on the pool: a 150 KB workbook may take 760 MB
/// to read, and three posted together took three times that, where now the second waits for
/// the first (and the event loops serve other requests meanwhile).
@Suite struct SpreadsheetReadingTests {
    @Test func readingsRunOneAtATimeAndAFailureLetsTheNextRun() async throws {
        let inside = Inside()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                group.addTask {
                    do {
                        try await readingSpreadsheet {
                            inside.count.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                            usleep(50_000)
                            inside.count.withLock { $0.now -= 1 }
                            if index == 1 { throw CancellationError() }
                        }
                    } catch is CancellationError {}
                }
            }
            try await group.waitForAll()
        }
        #expect(inside.count.withLock { $0.most } == 1)
        #expect(try await readingSpreadsheet { 42 } == 42, "the reading is free again")
    }
}

/// How many readings are under way now, and the most that ever were at once.
private final class Inside: Sendable {
    let count = Mutex((now: 0, most: 0))
}
