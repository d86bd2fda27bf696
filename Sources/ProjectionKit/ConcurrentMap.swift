internal import Dispatch
internal import Foundation

/// Runs `transform` on every item on other threads at once, and calls `consume` on the calling
/// thread with each result as soon as it is ready (in the order they finish, with the item's
/// index): the caller's part overlaps the transforms still running.
///
/// For work on objects that are not `Sendable` but that no two items share, such as each
/// projection's ``Fold`` planning its flush while the caller writes the plans already made:
/// the caller promises that `transform` of one item touches nothing another item's touches, and
/// that `consume` touches an item only once its result has arrived. Every transform has ended
/// when this returns, even when `consume` throws.
func concurrentMap<Item, Result>(
    _ items: [Item], _ transform: (Item) -> Result, consume: (Int, Result) throws -> Void
) rethrows {
    let finished = FinishedResults<Result>()
    let group = DispatchGroup()
    try withoutActuallyEscaping(transform) { transform in
        let work = UncheckedSendable((items: items, transform: transform))
        for index in items.indices {
            DispatchQueue.global().async(group: group) {
                let result = work.value.transform(work.value.items[index])
                finished.add(UncheckedSendable((index, result)))
            }
        }
        defer { group.wait() }
        for _ in items.indices {
            let (index, result) = finished.next().value
            try consume(index, result)
        }
    }
}

/// Results handed from the threads that made them to the one that consumes them.
private final class FinishedResults<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [UncheckedSendable<(Int, Result)>] = []

    func add(_ result: UncheckedSendable<(Int, Result)>) {
        condition.lock()
        ready.append(result)
        condition.signal()
        condition.unlock()
    }

    func next() -> UncheckedSendable<(Int, Result)> {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty { condition.wait() }
        return ready.removeFirst()
    }
}

/// A value handed to other threads on the caller's promise that they use it safely.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
