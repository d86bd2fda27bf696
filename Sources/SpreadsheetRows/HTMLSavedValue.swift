internal import CareLedger

/// The value LibreOffice writes beside a cell's shown text when it saves a sheet as a web page
/// (`sdval="45475" sdnum="2057;0;DD/MM/YYYY"`): a date's serial day and its number format, so
/// that a date shown as 02/07/2024 reads as its day, 2024-07-02, as it does from the workbook
/// itself; a boolean's 1 or 0 (format `BOOLEAN`), as `true` or `false`. A cell with another
/// format is its shown text.
struct HTMLSavedValue {
    let serial: Double
    /// The number format's code: what follows the language and the format's number.
    let format: String

    init?(_ attributes: [String: String]) {
        guard let value = attributes["sdval"].flatMap(Double.init), let number = attributes["sdnum"] else { return nil }
        let parts = number.split(separator: ";", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        serial = value
        format = String(parts[2])
    }

    /// The cell's value, given the text it shows.
    func value(shown: String) -> String {
        if format.uppercased() == "BOOLEAN" { return serial == 0 ? "false" : "true" }
        // LibreOffice counts from 1899-12-30, as the 1900 date system does from its day 61 on.
        if serial >= 61, ExcelDates.isDateFormat(id: 164, code: format), let day = ExcelDates(date1904: false).day(serial) {
            return day.description
        }
        return shown
    }
}
