#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A borrowed view of a ``JSONDocument``'s tokens and bytes, for the append path.
///
/// Reading through Swift arrays costs a retain and release per access and a bounds check per
/// byte; at a million events that is most of the work. A tape is two raw buffers, valid only
/// inside ``JSONDocument/withTape(_:)``: it must not escape that closure.
public struct JSONTape {
    public let tokens: UnsafeBufferPointer<JSONDocument.Token>
    public let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always)
    public func kind(_ index: Int) -> JSONDocument.Kind { tokens[index].kind }

    /// The raw bytes of a string token (between its quotes, escapes not decoded) or a number.
    @inline(__always)
    public func raw(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let token = tokens[index]
        return UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
    }

    /// Whether the string token at `index` holds escapes.
    @inline(__always)
    public func isEscaped(_ index: Int) -> Bool { tokens[index].flag }

    /// Whether the string token at `index` equals `utf8` (escapes decoded when there are any).
    @inline(__always)
    public func stringEquals(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tokens[index]
        let length = Int(token.end &- token.start)
        if token.flag { return Array(decodedString(index).utf8).withUnsafeBufferPointer { equal($0, utf8) } }
        guard length == utf8.count else { return false }
        return length == 0 || memcmp(bytes.baseAddress! + Int(token.start), utf8.baseAddress!, length) == 0
    }

    /// The string token at `index` with its escapes decoded.
    public func decodedString(_ index: Int) -> String {
        StringUnescaper.string(raw(index), escaped: tokens[index].flag)
    }

    /// Calls `body` with the string's UTF-8, decoded when it holds escapes.
    @inline(__always)
    public func withUTF8<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if !tokens[index].flag { return try body(raw(index)) }
        return try Array(decodedString(index).utf8).withUnsafeBufferPointer(body)
    }

    /// The index after the subtree at `index`.
    @inline(__always)
    public func next(_ index: Int) -> Int { Int(tokens[index].next) }

    /// How many members or elements the container at `index` has.
    @inline(__always)
    public func count(_ index: Int) -> Int { Int(tokens[index].count) }

    private func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }
}

extension JSONDocument {
    /// Calls `body` with a borrowed view of the tape; the view must not escape.
    @inline(__always)
    public func withTape<R>(_ body: (JSONTape) throws -> R) rethrows -> R {
        try tokens.withUnsafeBufferPointer { tokens in
            try bytes.withUnsafeBufferPointer { bytes in try body(JSONTape(tokens: tokens, bytes: bytes)) }
        }
    }
}

extension JSONTape {
    /// Whether the string token at `index` is exactly `name` (no escapes): for matching member
    /// names against the ones a schema or the ledger knows.
    @inline(__always)
    public func isName(_ index: Int, _ name: StaticString) -> Bool {
        let token = tokens[index]
        let length = Int(token.end &- token.start)
        guard !token.flag, length == name.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + Int(token.start), name.utf8Start, length) == 0
    }
}
