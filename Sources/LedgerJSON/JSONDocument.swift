#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A parsed JSON text held as a flat tape of tokens over its own bytes.
///
/// The ledger reads every event through this type on the append path, so it never builds a tree
/// of Swift values: a token records where its bytes are and where its subtree ends, and the
/// bytes themselves are read only when a validator or the canonical writer asks for them. A
/// document can be reused for the next text to keep its storage.
public struct JSONDocument: Sendable {
    /// What a token is.
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One value (or object key) in the tape.
    public struct Token: Sendable {
        /// What kind of value this is.
        public var kind: Kind
        /// For strings: the text holds escapes. For numbers: the number has no fraction or exponent.
        public var flag: Bool
        /// Where its bytes start: after the opening quote of a string, at `{` or `[` for containers.
        public var start: UInt32
        /// Where its bytes end (exclusive): before the closing quote, after `}` or `]`.
        public var end: UInt32
        /// The index of the token after this value's whole subtree.
        public var next: UInt32
        /// Members of an object or elements of an array; 0 otherwise.
        public var count: UInt32
    }

    /// The text, as given.
    public private(set) var bytes: [UInt8] = []
    /// The tokens, in document order. Token 0 is the root value.
    public private(set) var tokens: [Token] = []

    /// The deepest nesting a document may have.
    public static let maximumDepth = 64

    public init() {}

    /// Parses `text`, replacing what the document held.
    /// - Throws: ``JSONSyntaxError`` naming the byte offset where the text stops being JSON.
    public mutating func parse(_ text: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text)
        try tokenize()
    }

    /// Parses `text`, replacing what the document held.
    public mutating func parse(_ text: [UInt8]) throws(JSONSyntaxError) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text)
        try tokenize()
    }

    /// Parses a string's UTF-8.
    public mutating func parse(_ text: String) throws(JSONSyntaxError) {
        try parse(Array(text.utf8))
    }

    /// A new document parsed from `text`.
    public init(parsing text: String) throws(JSONSyntaxError) {
        try parse(text)
    }

    private mutating func tokenize() throws(JSONSyntaxError) {
        tokens.removeAll(keepingCapacity: true)
        let input = bytes
        var output = tokens
        tokens = []
        defer { tokens = output }
        try input.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
            var parser = TapeParser(bytes: buffer, tokens: output)
            defer { output = parser.tokens }
            try parser.parseDocument()
        }
    }

    // MARK: Reading tokens

    /// The root value's token index.
    public var root: Int { 0 }

    /// The kind of the token at `index`.
    @inline(__always)
    public func kind(_ index: Int) -> Kind { tokens[index].kind }

    /// The index after the subtree of the value at `index`.
    @inline(__always)
    public func next(_ index: Int) -> Int { Int(tokens[index].next) }

    /// How many members (object) or elements (array) the value at `index` has.
    @inline(__always)
    public func count(_ index: Int) -> Int { Int(tokens[index].count) }

    /// The byte range of the value at `index` in ``bytes`` (strings without their quotes).
    public func byteRange(_ index: Int) -> Range<Int> {
        Int(tokens[index].start)..<Int(tokens[index].end)
    }

    /// The (key, value) token indices of an object's members, in document order.
    public func members(_ object: Int) -> MemberSequence {
        MemberSequence(tokens: tokens, first: object + 1, count: Int(tokens[object].count))
    }

    /// The token indices of an array's elements, in order.
    public func elements(_ array: Int) -> ElementSequence {
        ElementSequence(tokens: tokens, first: array + 1, count: Int(tokens[array].count))
    }

    /// The value of the member named `name`, or `nil`.
    public func member(_ object: Int, named name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted in
            for (key, value) in members(object) where stringEquals(key, wanted) { return value }
            return nil
        }
    }

    /// Whether the string token at `index` equals `utf8`, after unescaping.
    public func stringEquals(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        withTape { $0.stringEquals(index, utf8) }
    }

    /// The string token at `index` as a Swift string, escapes decoded.
    public func string(_ index: Int) -> String {
        withTape { $0.decodedString(index) }
    }

    /// The number token at `index` as a `Double`.
    public func double(_ index: Int) -> Double {
        let range = byteRange(index)
        let text = String(decoding: bytes[range], as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// The number token at `index` as an integer, when it is one that fits in 64 bits
    /// (`5`, and also `5.0` or `5e0`, whose value is whole).
    public func integer(_ index: Int) -> Int64? {
        let token = tokens[index]
        if token.flag {
            return bytes.withUnsafeBufferPointer { all in
                var i = Int(token.start)
                let end = Int(token.end)
                let negative = all[i] == UInt8(ascii: "-")
                if negative { i += 1 }
                var value: Int64 = 0
                while i < end {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int64(all[i] &- 48))
                    if o1 || o2 { return nil }
                    value = a
                    i += 1
                }
                return negative ? -value : value
            }
        }
        let value = double(index)
        guard value.isFinite, value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 else { return nil }
        return Int64(value)
    }
}

/// Iterates an object's members as (key, value) token indices.
public struct MemberSequence: Sequence, IteratorProtocol {
    let tokens: [JSONDocument.Token]
    var position: Int
    var remaining: Int

    init(tokens: [JSONDocument.Token], first: Int, count: Int) {
        self.tokens = tokens
        self.position = first
        self.remaining = count
    }

    public mutating func next() -> (key: Int, value: Int)? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let key = position
        let value = position + 1
        position = Int(tokens[value].next)
        return (key, value)
    }
}

/// Iterates an array's elements as token indices.
public struct ElementSequence: Sequence, IteratorProtocol {
    let tokens: [JSONDocument.Token]
    var position: Int
    var remaining: Int

    init(tokens: [JSONDocument.Token], first: Int, count: Int) {
        self.tokens = tokens
        self.position = first
        self.remaining = count
    }

    public mutating func next() -> Int? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let element = position
        position = Int(tokens[element].next)
        return element
    }
}

