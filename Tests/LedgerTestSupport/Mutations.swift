import CareLedger

/// Broken copies of valid input, the same in every run (the demo's seeded generator), for tests
/// that feed a parser or the ledger's door what a careless or hostile writer might send.
public struct Mutations {
    private var random: DemoRandom

    public init(seed: UInt64) { random = DemoRandom(seed: seed) }

    /// A whole number from 0 to `bound - 1`.
    public mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }

    /// Bytes that matter to JSON and to the ledger's checks, and a few that should not be there.
    private static let alphabet = Array(#"{}[]:,"\ 0123456789-+.eEtrufalsn/bu"#.utf8) + [0x00, 0x0A, 0x1F, 0x7F, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0xFF]

    /// `input` changed in one to three places: a byte replaced, removed or inserted, a span
    /// repeated or cut, or the end cut off.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(3) {
            guard !bytes.isEmpty else { return Array("{".utf8) }
            let at = below(bytes.count)
            switch below(6) {
            case 0: bytes[at] = Self.alphabet[below(Self.alphabet.count)]
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(Self.alphabet[below(Self.alphabet.count)], at: at)
            case 3:
                let end = min(bytes.count, at + 1 + below(12))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(12)))
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }
}
