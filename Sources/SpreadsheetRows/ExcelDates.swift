internal import CareLedger

/// A workbook's dates: a cell formatted as a date holds a number of days, counted in the 1900
/// date system (Excel's default, which counts a 29 February 1900 that never was) or the 1904
/// one (older Mac workbooks).
struct ExcelDates {
    let date1904: Bool

    /// The day `serial` falls on; its fraction, a time of day, is dropped.
    func day(_ serial: Double) -> LocalDate? {
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return nil }
        let days = Int(serial.rounded(.down))
        if date1904 { return LocalDate(year: 1904, month: 1, day: 1)?.adding(days: days) }
        return LocalDate(spreadsheetSerial: days)
    }

    /// Whether a number format shows a date: one of the built-in date formats, or a format code
    /// that writes a year or a day once its quoted text, escapes and `[…]` sections are set aside.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id) { return true }
        guard let code else { return false }
        var plain = ""
        var quoted = false, bracketed = false, escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            switch character {
            case "\\" where !quoted: escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracketed = true
            case "]" where !quoted: bracketed = false
            default: if !quoted && !bracketed { plain.append(character) }
            }
        }
        return plain.lowercased().contains { $0 == "y" || $0 == "d" }
    }
}
