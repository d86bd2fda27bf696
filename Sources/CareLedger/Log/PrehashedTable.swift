/// A key that carries its own well-mixed 64-bit hash, made once (or made cheaply) rather than
/// by Swift's seeded SipHash at every lookup.
protocol PrehashedKey: Equatable {
    var prehash: UInt64 { get }
}

/// A hash table for the committing thread's busiest lookups: a batch's streams and event ids,
/// several lookups an event. Open addressing with linear probing over a power-of-two table kept
/// at most half full; entries live in insertion order in two arrays, and each slot holds an
/// entry's position and the top bits of its key's hash, so that a probe rarely reads a key it
/// does not want.
///
/// A `Dictionary` hashed every `String` and `EventID` anew with a freshly seeded hasher: about a
/// tenth of the committing thread's instructions. Entries cannot be removed one by one; the
/// batch only adds, and forgets all at once.
struct PrehashedTable<Key: PrehashedKey, Value> {
    /// Per slot: 0 when empty, else the top 32 bits of the hash and the entry's position + 1.
    private var slots: [UInt64]
    private(set) var keys: [Key] = []
    private(set) var values: [Value] = []

    init(minimumCapacity: Int = 16) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    /// The position of `key`'s entry, if the table holds it.
    func position(of key: Key) -> Int? {
        let hash = key.prehash
        let tag = hash >> 32
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            let position = Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1
            if word >> 32 == tag, keys[position] == key { return position }
            slot = (slot + 1) & mask
        }
    }

    /// The value for `key`, if the table holds it.
    subscript(key: Key) -> Value? {
        position(of: key).map { values[$0] }
    }

    /// The value of the entry at `position`.
    subscript(position position: Int) -> Value {
        get { values[position] }
        set { values[position] = newValue }
    }

    /// Adds `key`, which the table must not hold, and answers its position.
    @discardableResult
    mutating func insert(_ key: Key, _ value: Value) -> Int {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let position = keys.count
        keys.append(key)
        values.append(value)
        place(key.prehash, position)
        return position
    }

    /// Forgets every entry, keeping the memory for the next ones.
    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = 0 }
    }

    private mutating func place(_ hash: UInt64, _ position: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(position + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for (position, key) in keys.enumerated() { place(key.prehash, position) }
    }
}

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
