/// SplitMix64: small, fast and the same on every platform, so a seed always gives the same programme.
package struct DemoRandom: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// One of `values`.
    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// Between `count`'s bounds of draws from `values`, each kept once, in order: a concern's
    /// indicators or the agencies it went to.
    mutating func distinct(_ count: ClosedRange<Int>, of values: [String]) -> [String] {
        Set((0..<int(count)).map { _ in pick(values) }).sorted()
    }

    /// One of `values`, each with its weight.
    mutating func weighted<T>(_ values: [(T, Int)]) -> T {
        var roll = int(1...values.reduce(0) { $0 + $1.1 })
        for (value, weight) in values {
            roll -= weight
            if roll <= 0 { return value }
        }
        return values[values.count - 1].0
    }
}
