internal import Dispatch

/// `items.map(transform)`, the transforms run on every core at once (``DispatchQueue/concurrentPerform``
/// hands out the items one at a time to whichever thread is free, so put the costliest first).
///
/// For work on objects that are not `Sendable` but that no two items share, such as each
/// projection's ``Fold`` planning its flush: the caller promises that `transform` of one item
/// touches nothing another item's touches. Each result is written to its own slot, by one thread.
func concurrentMap<Item, Result>(_ items: [Item], _ transform: (Item) -> Result) -> [Result] {
    let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
    slots.initialize(repeating: nil)
    defer {
        slots.deinitialize()
        slots.deallocate()
    }
    withoutActuallyEscaping(transform) { transform in
        let work = UncheckedSendable((items: items, transform: transform, slots: slots))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            work.value.slots[index] = work.value.transform(work.value.items[index])
        }
    }
    return slots.map { $0! }
}

/// A value handed to other threads on the caller's promise that they use it safely.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
