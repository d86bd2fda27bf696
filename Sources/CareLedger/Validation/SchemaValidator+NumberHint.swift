extension SchemaValidator.Pass {
    /// `" (did you mean 1240?)"`, or nothing: for text where a number belongs, as a return's
    /// cells are written for people to read: with a thousands' comma (`1,240`), a unit
    /// (`37.5 hrs`, `1240p`), or, in a field of pence, as pounds (`£12.40`, `12.40` or `12.4`,
    /// said as 1240 pence). Also for a number with a fraction where a whole one belongs.
    /// Nothing is stored on the guess; the refusal only says what the number most likely is.
    /// - Parameters:
    ///   - whole: whether the field takes whole numbers only.
    ///   - inPence: whether the field is an amount of pence (its schema says "whole pence").
    static func numberHint(for text: String, whole: Bool, inPence: Bool) -> String {
        var number = Substring(CSVRows.trimmed(text))
        let pounds = number.first == "£"
        if pounds { number = number.dropFirst().drop { $0 == " " } }
        // A unit after the number: letters, spaces and a slash (`hrs`, `p`, `/hr`).
        let unit = number.reversed().prefix { $0.isLetter || $0 == " " || $0 == "/" }.count
        let inPenceAlready = ["p", "pence"].contains(number.suffix(unit).filter { $0 != " " }.lowercased())
        number = number.dropLast(unit)
        let plain = Self.withoutThousandsCommas(number)
        guard !plain.isEmpty, plain.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), plain.first != ".", plain.last != ".",
              plain.count(where: { $0 == "." }) <= 1 else { return "" }
        // Pounds: said so with a £, or written with pence after a point where only pence go
        // (`12.40`, or `12.4` as a spreadsheet's number cell keeps it).
        let poundsAndPence = (1...2).contains(plain.split(separator: ".").dropFirst().first?.count ?? 0)
        if pounds || (inPence && poundsAndPence && !inPenceAlready) {
            guard inPence, let amount = Self.pence(ofPounds: plain) else { return "" }
            if pounds { return " (did you mean \(amount)? the field is in pence, and £\(plain) is \(amount))" }
            return " (the field is in pence: if \(plain) is pounds, did you mean \(amount)?)"
        }
        if (whole && plain.contains(".")) || plain == text { return "" }
        return " (did you mean \(plain)?)"
    }

    /// `1,240.5` without its commas, when they group the whole part's digits in threes; else as it is.
    private static func withoutThousandsCommas(_ number: Substring) -> String {
        guard number.contains(",") else { return String(number) }
        let whole = number.prefix { $0 != "." }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return String(number) }
        return groups.joined() + number.dropFirst(whole.count)
    }

    /// The pence in `pounds`, written with at most two places of decimals (`12.40`, `12.4`, `12`).
    private static func pence(ofPounds pounds: String) -> Int? {
        let parts = pounds.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = Int(parts[0]) else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        guard parts[1].count <= 2, let fraction = Int(parts[1]) else { return nil }
        return whole * 100 + (parts[1].count == 1 ? fraction * 10 : fraction)
    }
}
