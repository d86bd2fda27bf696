/// Reads a posted spreadsheet on NIO's thread pool, one at a time in the whole process.
///
/// A workbook is small on the wire and large once read: a 150 KB `.xlsx` unpacks to 100 MB of
/// XML, twenty million shared strings that take 760 MB and seconds to read; every limit in
/// `SheetSize` bounds one reading, and this bounds how many run at once, so that a few posted
/// together cannot add up to the machine's memory. A programme's returns come a few a day:
/// one waiting a few seconds for another costs nothing. Off the event loops too, which a large
/// file's rows would hold for seconds while every other request waited behind them.
func readingSpreadsheet<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await readingSpreadsheet { () async throws -> Result in try await blocking(body) }
}

/// ``readingSpreadsheet(_:)`` for a reading that is asynchronous itself: a workbook read by a
/// ``SheetReader``, whose work is in a child process or already on the pool.
func readingSpreadsheet<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
    await SpreadsheetReadings.shared.acquire()
    do {
        let result = try await body()
        await SpreadsheetReadings.shared.release()
        return result
    } catch {
        await SpreadsheetReadings.shared.release()
        throw error
    }
}

/// The one reading of a spreadsheet under way, and those waiting for it, in order.
private actor SpreadsheetReadings {
    static let shared = SpreadsheetReadings()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the reading to the next waiting, if any, which then holds it.
    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
