/// A key that carries its own well-mixed 64-bit hash, made once (or made cheaply) rather than
/// by Swift's seeded SipHash at every lookup.
protocol PrehashedKey: Equatable {
    var prehash: UInt64 { get }
}

/// A hash table for the committing thread's busiest lookups: a batch's streams and event ids,
/// several lookups an event. Open addressing with linear probing over a power-of-two table kept
/// at most half full; entries live in insertion order, and each slot holds an entry's position
/// and the top bits of its key's hash, so that a probe rarely reads a key it does not want.
///
/// A `Dictionary` hashed every `String` and `EventID` anew with a freshly seeded hasher, and
/// arrays read through a class retained and released their buffers at every lookup; this table
/// keeps its memory itself. Entries cannot be removed one by one: a batch only adds, and forgets
/// all at once. Used by one thread at a time, like the batch that owns it.
final class PrehashedTable<Key: PrehashedKey, Value> {
    /// Per slot: 0 when empty, else the top 32 bits of the hash and the entry's position + 1.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    /// Room for `slotCount / 2` entries, the first `count` initialised.
    private var keyStorage: UnsafeMutablePointer<Key>
    private var valueStorage: UnsafeMutablePointer<Value>
    private(set) var count = 0

    init() {
        let size = 16  // grown by doubling: a batch of one event needs no more
        slotCount = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        keyStorage = .allocate(capacity: size / 2)
        valueStorage = .allocate(capacity: size / 2)
    }

    deinit {
        keyStorage.deinitialize(count: count)
        valueStorage.deinitialize(count: count)
        keyStorage.deallocate()
        valueStorage.deallocate()
        slots.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The keys in the order they were added (a copy).
    var keys: [Key] { Array(UnsafeBufferPointer(start: keyStorage, count: count)) }

    /// The values in the order their keys were added (a copy).
    var values: [Value] { Array(UnsafeBufferPointer(start: valueStorage, count: count)) }

    /// The position of `key`'s entry, if the table holds it.
    func position(of key: Key) -> Int? {
        let hash = key.prehash
        let tag = hash >> 32
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            let position = Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1
            if word >> 32 == tag, keyStorage[position] == key { return position }
            slot = (slot + 1) & mask
        }
    }

    /// The value for `key`, if the table holds it.
    subscript(key: Key) -> Value? {
        position(of: key).map { valueStorage[$0] }
    }

    /// The value of the entry at `position` (below ``count``).
    subscript(position position: Int) -> Value {
        get {
            precondition(position >= 0 && position < count, "no entry at this position")
            return valueStorage[position]
        }
        set {
            precondition(position >= 0 && position < count, "no entry at this position")
            valueStorage[position] = newValue
        }
    }

    /// Adds `key`, which the table must not hold, and answers its position.
    @discardableResult
    func insert(_ key: Key, _ value: Value) -> Int {
        // A slot keeps the position in 32 bits (a batch holds at most 262,144 ids, and streams
        // far fewer than 4 billion).
        precondition(count < Int(UInt32.max) - 1, "a prehashed table holds fewer than 2^32 - 1 entries")
        if (count + 1) * 2 > slotCount { grow() }
        let position = count
        (keyStorage + position).initialize(to: key)
        (valueStorage + position).initialize(to: value)
        count += 1
        place(key.prehash, position)
        return position
    }

    /// Forgets every entry, keeping the memory for the next ones.
    func removeAll() {
        keyStorage.deinitialize(count: count)
        valueStorage.deinitialize(count: count)
        count = 0
        slots.update(repeating: 0, count: slotCount)
    }

    private func place(_ hash: UInt64, _ position: Int) {
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(position + 1)
    }

    private func grow() {
        let newCount = slotCount * 2
        let newKeys = UnsafeMutablePointer<Key>.allocate(capacity: newCount / 2)
        let newValues = UnsafeMutablePointer<Value>.allocate(capacity: newCount / 2)
        newKeys.moveInitialize(from: keyStorage, count: count)
        newValues.moveInitialize(from: valueStorage, count: count)
        keyStorage.deallocate()
        valueStorage.deallocate()
        keyStorage = newKeys
        valueStorage = newValues
        slots.deallocate()
        slotCount = newCount
        slots = .allocate(capacity: newCount)
        slots.initialize(repeating: 0, count: newCount)
        for position in 0..<count { place(keyStorage[position].prehash, position) }
    }
}

@available(*, unavailable)
extension PrehashedTable: Sendable {}

/// The seed of the ledger's own hashes, new in each process: as with Swift's hashing, input
/// chosen to collide in one process does not collide in the next.
let prehashSeed = UInt64.random(in: 1...UInt64.max)

/// Mixes 64 bits so that every input bit moves about half the output bits (the finaliser of
/// SplitMix64): the table indexes with the low bits and tags with the high ones.
@inline(__always)
func mixHash(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

extension EventID: PrehashedKey {
    /// Both words mixed: ids the ledger makes share their high (time) bits, and an id a client
    /// makes may vary in either word.
    var prehash: UInt64 { mixHash(high ^ mixHash(low ^ prehashSeed)) }
}
