/// An anchored regular expression of the small kind the schemas use
/// (`^[A-Za-z0-9._:-]{1,64}$`, `^[EWSN][0-9]{8}$`, UUIDs, dates), matched over UTF-8 bytes.
///
/// Swift's `Regex` costs microseconds a match, and the ledger matches several patterns per event
/// on a path that must take a few microseconds in all. The compiler accepts only what this
/// matcher implements (literals, escaped literals, ASCII classes with ranges, and the quantifiers
/// `? * + {n} {m,} {m,n}`, anchored at both ends) and refuses any other pattern when the schemas
/// load, so a schema can never say more than the validator checks.
///
/// A class with tables of its own (unchecked `Sendable`: nothing changes after `init`): each atom
/// is 256 flags, one load a byte, read without reference counting; as a struct of an array of
/// bit sets the matcher cost an import about 2,000 instructions an event.
final class BytePattern: @unchecked Sendable {
    /// One class of bytes and how many times it repeats.
    private struct Atom {
        /// Which bytes match: a 256-bit set.
        var accepts: (UInt64, UInt64, UInt64, UInt64)
        var minimum: Int
        var maximum: Int

        func matches(_ byte: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: return accepts.0 & bit != 0
            case 1: return accepts.1 & bit != 0
            case 2: return accepts.2 & bit != 0
            default: return accepts.3 & bit != 0
            }
        }
    }

    let source: String
    /// How many atoms there are.
    private let atomCount: Int
    /// 256 flags per atom: whether that byte matches it.
    private let accepts: UnsafeMutablePointer<Bool>
    /// Each atom's least and greatest number of repeats.
    private let minimums, maximums: UnsafeMutablePointer<Int>

    struct Unsupported: Error { let reason: String }

    init(_ source: String) throws(Unsupported) {
        self.source = source
        var chars = Array(source.unicodeScalars)
        guard chars.first == "^", chars.last == "$", chars.count >= 2 else {
            throw Unsupported(reason: "a pattern must be anchored with ^ and $")
        }
        chars = Array(chars[1..<(chars.count - 1)])
        var atoms: [Atom] = []
        var i = 0
        func set(_ scalar: Unicode.Scalar, in atom: inout Atom) throws(Unsupported) {
            guard scalar.isASCII else { throw Unsupported(reason: "only ASCII characters are supported") }
            let byte = UInt8(scalar.value)
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: atom.accepts.0 |= bit
            default: atom.accepts.1 |= bit
            }
        }
        while i < chars.count {
            var atom = Atom(accepts: (0, 0, 0, 0), minimum: 1, maximum: 1)
            let c = chars[i]
            switch c {
            case "[":
                i += 1
                guard i < chars.count, chars[i] != "^" else { throw Unsupported(reason: "negated classes are not supported") }
                while i < chars.count, chars[i] != "]" {
                    var low = chars[i]
                    if low == "\\" { i += 1; guard i < chars.count else { break }; low = chars[i] }
                    if i + 2 < chars.count, chars[i + 1] == "-", chars[i + 2] != "]" {
                        let high = chars[i + 2]
                        guard low.value <= high.value else { throw Unsupported(reason: "a reversed range") }
                        for v in low.value...high.value { try set(Unicode.Scalar(v)!, in: &atom) }
                        i += 3
                    } else {
                        try set(low, in: &atom)
                        i += 1
                    }
                }
                guard i < chars.count else { throw Unsupported(reason: "an unclosed class") }
                i += 1
            case "\\":
                guard i + 1 < chars.count, "^$.[]{}()*+?|\\/-".unicodeScalars.contains(chars[i + 1]) else {
                    throw Unsupported(reason: "only escaped punctuation is supported")
                }
                try set(chars[i + 1], in: &atom)
                i += 2
            case "(", ")", "|", ".", "{", "}", "*", "+", "?", "^", "$":
                throw Unsupported(reason: "'\(c)' is not supported here")
            default:
                try set(c, in: &atom)
                i += 1
            }
            if i < chars.count {
                switch chars[i] {
                case "?": atom.minimum = 0; i += 1
                case "*": atom.minimum = 0; atom.maximum = .max; i += 1
                case "+": atom.maximum = .max; i += 1
                case "{":
                    guard let close = chars[i...].firstIndex(of: "}") else { throw Unsupported(reason: "an unclosed {") }
                    let body = String(String.UnicodeScalarView(chars[(i + 1)..<close]))
                    let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                    guard let low = Int(parts[0]) else { throw Unsupported(reason: "a bad quantifier {\(body)}") }
                    atom.minimum = low
                    if parts.count == 1 { atom.maximum = low }
                    else if parts.count == 2 { atom.maximum = parts[1].isEmpty ? .max : (Int(parts[1]) ?? -1) }
                    guard atom.maximum >= atom.minimum else { throw Unsupported(reason: "a bad quantifier {\(body)}") }
                    i = close + 1
                default: break
                }
            }
            atoms.append(atom)
        }
        atomCount = atoms.count
        accepts = .allocate(capacity: max(1, atoms.count) * 256)
        minimums = .allocate(capacity: max(1, atoms.count))
        maximums = .allocate(capacity: max(1, atoms.count))
        for (index, atom) in atoms.enumerated() {
            for byte in 0...255 { (accepts + index * 256 + byte).initialize(to: atom.matches(UInt8(byte))) }
            (minimums + index).initialize(to: atom.minimum)
            (maximums + index).initialize(to: atom.maximum)
        }
    }

    deinit {
        accepts.deallocate()
        minimums.deallocate()
        maximums.deallocate()
    }

    /// Whether the whole of `bytes` matches.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        match(bytes, 0, 0)
    }

    private func match(_ bytes: UnsafeRawBufferPointer, _ firstAtom: Int, _ start: Int) -> Bool {
        var atomIndex = firstAtom, position = start
        // Atoms of one fixed width (all of a UUID's or a date's) are taken in this loop; only a
        // width that varies, before the last atom, needs the recursion that backtracks.
        while atomIndex < atomCount {
            let accepted = accepts + atomIndex * 256
            let minimum = minimums[atomIndex], maximum = maximums[atomIndex]
            guard position + minimum <= bytes.count else { return false }
            for offset in position..<(position + minimum) where !accepted[Int(bytes[offset])] { return false }
            var taken = minimum
            if atomIndex == atomCount - 1 {
                // The last atom: take greedily and require the end.
                while taken < maximum, position + taken < bytes.count, accepted[Int(bytes[position + taken])] { taken += 1 }
                return position + taken == bytes.count
            }
            if minimum == maximum {
                atomIndex += 1
                position += taken
                continue
            }
            while taken < maximum, position + taken < bytes.count, accepted[Int(bytes[position + taken])] { taken += 1 }
            // Greedy, giving back one byte at a time.
            while taken >= minimum {
                if match(bytes, atomIndex + 1, position + taken) { return true }
                taken -= 1
            }
            return false
        }
        return position == bytes.count
    }
}
