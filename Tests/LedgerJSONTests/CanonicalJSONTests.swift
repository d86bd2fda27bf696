import Foundation
import LedgerJSON
import Testing

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        let document = try JSONDocument(parsing: text)
        var writer = CanonicalJSONWriter()
        writer.write(document, value: document.root)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("numbers print as ECMAScript prints them", arguments: [
        ("0", "0"), ("-0", "0"), ("1", "1"), ("40.0", "40"), ("37.5", "37.5"), ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"), ("1e-7", "1e-7"), ("0.000001", "0.000001"),
        ("123456789012345678", "123456789012345680"), ("333333333.33333329", "333333333.3333333"),
        ("4.50", "4.5"), ("2e-3", "0.002"), ("-1.5E+2", "-150"), ("9007199254740993", "9007199254740992"),
        ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ])
    func numbers(input: String, expected: String) throws {
        #expect(try canonical(input) == expected)
    }

    @Test func membersSortByUTF16CodeUnits() throws {
        // RFC 8785 section 3.2.3's example: sorted by UTF-16, where U+1F600 (a surrogate pair) sorts before U+FB33.
        let text = #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        let values = try JSONValue(parsing: try canonical(text)).objectValue?.map { $0.1.stringValue ?? "" }
        #expect(values == ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                           "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"])
    }

    @Test func stringsUseTheFewestEscapes() throws {
        #expect(try canonical(#"["\u0041\/\u00e9\u001f\t\"\\"]"#) == "[\"A/é\\u001f\\t\\\"\\\\\"]")
    }

    @Test func nestedObjectsAreSortedAndCompact() throws {
        #expect(try canonical(#" { "b" : [ 1 , { "z":true, "a" : null } ], "a" : "x" } "#) == #"{"a":"x","b":[1,{"a":null,"z":true}]}"#)
        // Names and strings are copied with their quotes (and a name with its colon) only when
        // the text has them exactly so: escaped ones and names spaced from their colon are rewritten.
        #expect(try canonical(#"{"b":"x","\u0061":"\u0079","c" :"z","d":"w"}"#) == #"{"a":"y","b":"x","c":"z","d":"w"}"#)
    }

    @Test func jsonValueAgreesWithTheTape() throws {
        let text = #"{"data":{"weeklyHours":37.50,"name":"Ünïcode"},"seq":12,"type":"X"}"#
        let value = try JSONValue(parsing: text)
        #expect(String(decoding: value.canonicalBytes, as: UTF8.self) == (try canonical(text)))
    }
}

@Suite("JSON syntax")
struct JSONSyntaxTests {
    @Test("malformed texts are refused with a byte offset", arguments: [
        "", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}x", "01", "1.", "\"tab\there\"", "{\"a\":1,\"a\":2}",
        "\"\\ud800\"", "\"\\x\"", "tru", "{a:1}", "[\"\u{0}\"]",
    ])
    func refused(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(parsing: text) }
    }

    /// The parser skips plain bytes a word at a time and jumps to a word's first byte that needs
    /// handling: each such byte, at every offset in and around a word, is found and handled.
    @Test func everyKindOfByteIsHandledAtEveryOffsetOfAString() throws {
        let plain = "abcdefghijklmnopqrstuvwx"
        let escapes: [(String, String)] = [(#"\""#, "\""), (#"\\"#, "\\"), (#"\u00e9"#, "é"), ("é", "é"), ("€", "€"), (#"\n"#, "\n")]
        for offset in 0...plain.count {
            let head = String(plain.prefix(offset)), tail = String(plain.dropFirst(offset))
            for (written, meant) in escapes {
                let document = try JSONDocument(parsing: "[\"" + head + written + tail + "\"]")
                #expect(document.string(1) == head + meant + tail, "\(written) at \(offset)")
            }
            for refused: UInt8 in [0x0A, 0x1F, 0xC3, 0xFF] where offset < plain.count {
                var bytes = Array(("[\"" + plain + "\"]").utf8)
                bytes[2 + offset] = refused
                var document = JSONDocument()
                #expect(throws: JSONSyntaxError.self, "byte \(refused) at \(offset)") { try document.parse(bytes) }
            }
        }
    }

    @Test func invalidUTF8IsRefused() {
        var document = JSONDocument()
        #expect(throws: JSONSyntaxError.self) { try document.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func duplicateKeysNameTheKey() {
        do {
            _ = try JSONDocument(parsing: #"{"workerRef":"W-1","workerRef":"W-2"}"#)
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.message.contains("workerRef"))
            #expect(error.offset == 19)
        }
    }

    /// Large objects (a key file of many workers) switch to a set of names: still every duplicate
    /// is refused, escaped spellings included, and a large object without one parses.
    @Test func duplicateKeysInLargeObjects() throws {
        let members = (0..<200).map { #""W-\#($0)":\#($0)"# }
        let unique = try JSONDocument(parsing: "{" + members.joined(separator: ",") + "}")
        #expect(unique.count(unique.root) == 200)
        for (duplicate, at) in [(#""W-5""#, 150), (#""W-\u0035""#, 40), (#""W-120""#, 199)] {
            var spoiled = members
            spoiled.insert(duplicate + ":0", at: at)
            #expect(throws: JSONSyntaxError.self, "\(duplicate) at \(at)") { try JSONDocument(parsing: "{" + spoiled.joined(separator: ",") + "}") }
        }
    }

    /// Names that arrive in ascending byte order (canonical JSON, every stored event) are not
    /// compared pairwise: a repeat after them, a repeat spelled with escapes, or names out of
    /// order must still be caught, in small and large objects.
    @Test func duplicateKeysAfterSortedNames() throws {
        for size in [6, 200] {
            let members = (0..<size).map { String(format: "\"N-%03d\":%d", $0, $0) }
            #expect(try JSONDocument(parsing: "{" + members.joined(separator: ",") + "}").count(0) == size)
            for duplicate in [#""N-000""#, #""N-00\u0031""#, String(format: "\"N-%03d\"", size - 1)] {
                let spoiled = "{" + (members + [duplicate + ":0"]).joined(separator: ",") + "}"
                #expect(throws: JSONSyntaxError.self, "\(duplicate) after \(size) sorted names") { try JSONDocument(parsing: spoiled) }
            }
        }
        #expect(try JSONDocument(parsing: #"{"ab":1,"a":2,"b":3}"#).count(0) == 3)
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(parsing: #"{"a":1,"ab":2,"a":3}"#) }
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(parsing: #"{"a":1,"b":2,"b":3}"#) }
    }

    /// Strings are scanned eight bytes at a time until a word holds something other than plain
    /// ASCII: whatever its position in the word, a quote, an escape, a control character or a
    /// multi-byte character must still be found.
    @Test func everySpecialByteIsFoundAtEveryOffset() throws {
        for offset in 0..<20 {
            let before = String(repeating: "x", count: offset), after = String(repeating: "y", count: 11)
            #expect(try JSONValue(parsing: "\"\(before)\\n\(after)\"") == .string(before + "\n" + after), "escape at \(offset)")
            #expect(try JSONValue(parsing: "\"\(before)é\(after)\"") == .string(before + "é" + after), "two-byte character at \(offset)")
            #expect(try JSONValue(parsing: "\"\(before)\"") == .string(before), "closing quote at \(offset)")
            #expect(throws: JSONSyntaxError.self, "raw control character at \(offset)") {
                try JSONDocument(parsing: "\"\(before)\u{1}\(after)\"")
            }
            #expect(throws: JSONSyntaxError.self, "quote inside at \(offset)") { try JSONDocument(parsing: "\"\(before)\"\(after)\"") }
            var invalid = Array("\"\(before)\(after)\"".utf8)
            invalid[1 + offset] = 0xFF
            var document = JSONDocument()
            #expect(throws: JSONSyntaxError.self, "invalid UTF-8 at \(offset)") { try document.parse(invalid) }
        }
    }

    @Test func byteSearchFindsThePatternWithinItsBound() {
        let text = Array(#"{"pii":{"ciphertext":"QUJD"}}"#.utf8)
        #expect(ByteSearch.firstOffset(of: Array("{\"".utf8), in: text) == 0)
        #expect(ByteSearch.firstOffset(of: Array("ciphertext".utf8), in: text) == 9)
        #expect(ByteSearch.firstOffset(of: Array("}}".utf8), in: text) == text.count - 2)
        #expect(ByteSearch.firstOffset(of: Array("}}".utf8), in: text, before: text.count - 1) == nil)
        #expect(ByteSearch.firstOffset(of: Array("notes".utf8), in: text) == nil)
        #expect(ByteSearch.firstOffset(of: text + [0x20], in: text) == nil)
        // One byte (an id may be one character), and a first byte that matches before the pattern does.
        #expect(ByteSearch.firstOffset(of: Array("Q".utf8), in: text) == 22)
        #expect(ByteSearch.firstOffset(of: Array("\"c".utf8), in: text) == 8)
        #expect(text.withUnsafeBytes { ByteSearch.firstOffset(of: Array("QUJD".utf8), in: $0) } == 22)
    }

    @Test func tokensDescribeTheTree() throws {
        let document = try JSONDocument(parsing: #"{"a":[1,2,{"b":"c"}],"d":"e\u0021"}"#)
        #expect(document.count(document.root) == 2)
        let a = try #require(document.member(document.root, named: "a"))
        #expect(Array(document.elements(a)).count == 3)
        let d = try #require(document.member(document.root, named: "d"))
        #expect(document.string(d) == "e!")
        #expect(document.next(document.root) == document.tokens.count)
    }
}

/// Where two JSON values first differ, for refusals that say what changed.
@Suite struct JSONDifferenceTests {
    @Test func theFirstDifferenceByPointer() throws {
        let stored = try JSONValue(parsing: #"{"data":{"a/b":1,"list":[1,2],"name":"x"},"type":"T"}"#)
        #expect(stored.firstDifference(from: stored) == nil)
        let renamed = try #require(stored.firstDifference(from: try JSONValue(parsing: #"{"type":"T","data":{"name":"y","list":[1,2],"a/b":1}}"#)))
        #expect(renamed.pointer == "/data/name" && renamed.here == .string("x") && renamed.there == .string("y"))
        let longer = try #require(stored.firstDifference(from: try JSONValue(parsing: #"{"data":{"a/b":1,"list":[1,2,3],"name":"x"},"type":"T"}"#)))
        #expect(longer.pointer == "/data/list/2", "\(longer)")
        #expect(longer.here == nil && longer.there == .integer(3), "\(longer)")
        let escaped = try #require(stored.firstDifference(from: try JSONValue(parsing: #"{"data":{"a/b":2,"list":[1,2],"name":"x"},"type":"T"}"#)))
        #expect(escaped.pointer == "/data/a~1b")
        let missing = try #require(stored.firstDifference(from: try JSONValue(parsing: #"{"type":"T"}"#)))
        #expect(missing.pointer == "/data" && missing.there == nil)
    }
}
