/// A stream's name (`worker-W-00123`) and a hash of it, made together, once.
///
/// An event names several streams (its own and those of the workers, providers, partners and
/// cases it refers to), and the committing thread looks each up in the batch's table: the hash
/// is made with the name, from its bytes, once (an event's own stream on the preparing thread).
struct StreamName: PrehashedKey, Sendable, CustomStringConvertible {
    let text: String
    let prehash: UInt64

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { Self(prefix: UnsafeBufferPointer(start: nil, count: 0), id: $0) }
    }

    /// The stream of the entity of `kind` (`worker`, `case`, …) with `id`.
    init(kind: StaticString, id: String) {
        var id = id
        self = id.withUTF8 { id in
            kind.withUTF8Buffer { kind in
                // Made from bytes: `kind + "-" + id` cost several times as much, once per reference.
                Self(prefix: kind, id: id, separator: true)
            }
        }
    }

    /// The stream of a template's `prefix` (`worker-`, with its dash) and an id.
    init(prefix: String, id: String) {
        var prefix = prefix, id = id
        self = prefix.withUTF8 { prefix in id.withUTF8 { id in Self(prefix: prefix, id: id) } }
    }

    private init(prefix: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>, separator: Bool = false) {
        let count = prefix.count + (separator ? 1 : 0) + id.count
        var hash = prehashSeed
        text = String(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            for byte in prefix { buffer[at] = byte; at += 1 }
            if separator { buffer[at] = UInt8(ascii: "-"); at += 1 }
            for byte in id { buffer[at] = byte; at += 1 }
            for byte in buffer[..<at] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }  // FNV-1a
            return at
        }
        prehash = mixHash(hash)
    }

    static func == (a: StreamName, b: StreamName) -> Bool { a.prehash == b.prehash && a.text == b.text }

    var description: String { text }
}
