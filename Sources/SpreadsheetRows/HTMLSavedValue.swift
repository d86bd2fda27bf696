internal import CareLedger
internal import Foundation

/// The value a spreadsheet program writes beside a cell's shown text when it saves a sheet as a
/// web page, so that a date shown as 02/07/2024 reads as its day, 2024-07-02, as it does from
/// the workbook itself, and a boolean as its word. A cell of another format is its shown text.
///
/// - LibreOffice: `sdval="45475" sdnum="2057;0;DD/MM/YYYY"`, the serial day and the number
///   format's code after the language and the format's number; a boolean's format is `BOOLEAN`.
/// - Excel: `x:num="45475"` with the number format in the style sheet's class for the cell
///   (`class=xl65`, `.xl65 {mso-number-format:"Short Date";}`) or in its own `style`; a boolean
///   `x:bool="TRUE"`.
struct HTMLSavedValue: Equatable {
    enum Saved: Equatable {
        case number(Double, format: String)
        case boolean(Bool)
    }

    let saved: Saved

    /// The value saved in a cell's `attributes`, its number format found in `classFormats` (a
    /// style sheet's `mso-number-format` by class) where the cell names none itself; `nil` for a
    /// cell with none.
    init?(_ attributes: [String: String], classFormats: [String: String] = [:]) {
        if let value = attributes["sdval"].flatMap(Double.init), let number = attributes["sdnum"] {
            let parts = number.split(separator: ";", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            let format = String(parts[2])
            saved = format.uppercased() == "BOOLEAN" ? .boolean(value != 0) : .number(value, format: format)
        } else if let boolean = attributes["x:bool"] {
            guard ["true", "false"].contains(boolean.lowercased()) else { return nil }
            saved = .boolean(boolean.lowercased() == "true")
        } else if let value = attributes["x:num"].flatMap(Double.init) {
            let own = attributes["style"].flatMap { Self.numberFormat(inDeclarations: $0[...]) }
            let byClass = attributes["class"].flatMap { $0.split(separator: " ").lazy.compactMap { classFormats[String($0)] }.first }
            saved = .number(value, format: own ?? byClass ?? "General")
        } else {
            return nil
        }
    }

    /// The cell's value, given the text it shows.
    func value(shown: String) -> String {
        switch saved {
        case .boolean(let value): return value ? "true" : "false"
        case .number(let serial, let format):
            // Both count from 1899-12-30, as the 1900 date system does from its day 61 on.
            guard serial >= 61, Self.isDateFormat(format), let day = ExcelDates(date1904: false).day(serial) else { return shown }
            return day.description
        }
    }

    /// Whether a number format shows a date: Excel's named date formats (`Short Date`), not its
    /// other names (`Standard` is no date for its `d`), else a code that writes a year or a day.
    static func isDateFormat(_ format: String) -> Bool {
        let name = format.lowercased()
        if ["general date", "long date", "medium date", "short date"].contains(name) { return true }
        if namedFormats.contains(name) { return false }
        return ExcelDates.isDateFormat(id: 164, code: format)
    }

    private static let namedFormats: Set<String> = [
        "general", "general number", "currency", "euro currency", "fixed", "standard", "percent", "scientific",
        "yes/no", "true/false", "on/off", "long time", "medium time", "short time",
    ]

    /// The `mso-number-format` of CSS declarations (`mso-number-format:"Short Date"; …`): read
    /// by hand, in one pass, as a style sheet of any size must be.
    static func numberFormat(inDeclarations css: Substring) -> String? {
        guard let name = css.firstRange(of: "mso-number-format") else { return nil }
        var rest = css[name.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = rest.first else { return nil }
        guard first == "\"" || first == "'" else {
            return rest.prefix { $0 != ";" && $0 != "}" && $0 != "\"" && $0 != "'" }.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var value = "", escaped = false
        for character in rest.dropFirst() {
            if escaped {
                value += "\\" + String(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == first {
                return value
            } else {
                value.append(character)
            }
        }
        return nil
    }

    /// The `mso-number-format` of each class a style sheet defines (`.xl65 {…}`, `td.xl65 {…}`).
    static func classFormats(inStyleSheet css: String) -> [String: String] {
        var formats: [String: String] = [:]
        for rule in css.split(separator: "}") {
            guard let brace = rule.firstIndex(of: "{"), let format = numberFormat(inDeclarations: rule[brace...]) else { continue }
            for selector in rule[..<brace].split(separator: ",") {
                // The selector's last word (after a comment's end, say), and its class after the dot.
                guard let word = selector.split(whereSeparator: \.isWhitespace).last, let dot = word.lastIndex(of: ".") else { continue }
                let name = word[word.index(after: dot)...]
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) { formats[String(name)] = format }
            }
        }
        return formats
    }
}
