/// Prints a `Double` as ECMAScript's `Number.prototype.toString` does, which RFC 8785 requires:
/// the shortest digits that round-trip, in plain notation from 1e-6 up to 1e21 and in
/// exponent notation outside that range.
enum ECMAScriptNumber {
    static func append(_ value: Double, to out: inout [UInt8]) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if !value.isFinite { out.append(contentsOf: "null".utf8); return }  // JSON has no such numbers
        // Swift prints the shortest round-tripping digits; take them and the decimal exponent apart.
        let text = Array((value < 0 ? -value : value).description.utf8)
        var digits: [UInt8] = []
        var pointPosition: Int? = nil
        var exponent = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: ".") { pointPosition = digits.count }
            else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else { digits.append(c) }
            i += 1
        }
        // value = 0.d1d2… × 10^n
        var n = (pointPosition ?? digits.count) + exponent
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst(); n -= 1 }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if k <= n && n <= 21 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            out.append(contentsOf: digits[0..<n])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            out.append(contentsOf: digits)
        } else {
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(n - 1 >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            out.append(contentsOf: String(abs(n - 1)).utf8)
        }
    }
}
