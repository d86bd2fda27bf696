extension LocalDate {
    /// The day a spreadsheet's date serial names in the 1900 date system (Excel's default, and
    /// LibreOffice's): serial 1 is 1900-01-01, and from 61, 1900-03-01, on it counts a 29 February
    /// 1900 that never was, so that a serial is then days since 1899-12-30. `nil` before 1.
    ///
    /// One rule for every place that meets serials: a workbook's date cells read, a template's
    /// example dates written, and a serial saved as CSV refused with the day it names.
    package init?(spreadsheetSerial serial: Int) {
        guard serial >= 1, let origin = LocalDate(year: 1899, month: 12, day: serial < 60 ? 31 : 30) else { return nil }
        self = origin.adding(days: serial)
    }

    /// This day's serial in the 1900 date system, from 1900-03-01 on (before it, the system's
    /// phantom 29 February makes serials no day count writes plainly); `nil` before.
    package var spreadsheetSerial: Int? {
        guard let origin = LocalDate(year: 1899, month: 12, day: 30) else { return nil }
        let serial = days(since: origin)
        return serial >= 61 ? serial : nil
    }
}
