extension CSVRows {
    /// The refusal of `bytes` when they are a document that people send in place of a return's
    /// rows, known by how it begins: an old `.xls` workbook, a web page that a system's "export
    /// to Excel" wrote (often named `.xls`), an Excel 2003 XML spreadsheet given as text (as a
    /// file it is read as a workbook), another XML document, a PDF, or events already written
    /// as JSON. Each says what the file is and what to send instead, where reading it as CSV
    /// would refuse its first line as a header naming no `occurredOn` column, the file's markup
    /// taken for its columns. `nil` for anything else.
    /// - Parameter name: the file in refusals.
    static func otherDocument(_ bytes: [UInt8], named name: String) -> LedgerError? {
        if isOldWorkbook(bytes) {
            return LedgerError(.rejected, "\(name) is an old Excel workbook (.xls), which is not read: \(saveAs)")
        }
        if bytes.starts(with: Array("%PDF-".utf8)) {
            return LedgerError(.rejected, "\(name) is a PDF document, whose tables a program cannot read back as rows: ask for the return as .xlsx, .ods or \"CSV UTF-8\"")
        }
        let head = lowercasedHead(bytes)
        // An object, or an array of objects: a header cell in brackets, `[Worker]`, is not JSON.
        if head.hasPrefix("{") || (head.hasPrefix("[") && head.dropFirst().drop { $0.isWhitespace }.first == "{") {
            return LedgerError(.rejected, "\(name) is JSON, not a spreadsheet's rows: events written as JSON are appended as they are (careledger append or import; POST /v1/events without type=)")
        }
        guard head.hasPrefix("<") else { return nil }
        let root = Self.rootElement(of: head)
        if isExcel2003XML(head: head, root: root) {
            // Read as a workbook when it comes as a file; here it came as text (pasted, say).
            return LedgerError(.rejected, "\(name) is an Excel 2003 XML spreadsheet: give it as a file (careledger record --rows FILE, or the file field of /record), which reads its sheets")
        }
        if isWebPage(head: head, root: root) {
            // Read as a workbook when it comes as a file; here it came as text (pasted, say).
            return LedgerError(.rejected, "\(name) is a web page (HTML), as a system's \"export to Excel\" often writes one: give it as a file (careledger record --rows FILE, or the file field of /record), which reads its tables")
        }
        return LedgerError(.rejected, "\(name) is an XML document, not a spreadsheet's rows: \(saveAs)")
    }

    /// Whether `bytes` are an Excel 2003 XML spreadsheet (SpreadsheetML): XML whose root element
    /// is a `Workbook` in the format's namespace. Known by its root: a web page Excel wrote names
    /// the namespace too, and a spreadsheet's rich text may hold `<html:b>`.
    package static func isExcel2003XML(_ bytes: some Collection<UInt8>) -> Bool {
        let head = lowercasedHead(bytes)
        return isExcel2003XML(head: head, root: rootElement(of: head))
    }

    private static func isExcel2003XML(head: String, root: Substring) -> Bool {
        (root.hasPrefix("<workbook") || root.hasPrefix("<ss:workbook")) && head.contains("urn:schemas-microsoft-com:office:spreadsheet")
    }

    /// Whether `bytes` are a web page (HTML), as a system's "export to Excel" writes one, often
    /// named `.xls`: markup whose root is `html`, that declares its type as HTML, or that holds a
    /// `table` element (an export may be that table alone). Not an Excel 2003 XML spreadsheet,
    /// nor other XML whose elements are named `table:…` (a flat OpenDocument file's).
    package static func isWebPage(_ bytes: some Collection<UInt8>) -> Bool {
        let head = lowercasedHead(bytes)
        return head.hasPrefix("<") && isWebPage(head: head, root: rootElement(of: head))
    }

    private static func isWebPage(head: String, root: Substring) -> Bool {
        guard !isExcel2003XML(head: head, root: root) else { return false }
        func element(_ name: String, at text: Substring) -> Bool {
            text.hasPrefix(name) && text.dropFirst(name.count).first.map { $0 == ">" || $0.isWhitespace } ?? false
        }
        return element("<html", at: root) || head.contains("<!doctype html")
            || head.ranges(of: "<table").contains { element("<table", at: head[$0.lowerBound...]) }
    }

    /// The first ``headBytes`` of `bytes` past white space and a byte order mark, lowercased.
    private static func lowercasedHead(_ bytes: some Collection<UInt8>) -> String {
        let head = bytes.prefix(2 * headBytes).drop { isSpaceOrMark($0) }.prefix(headBytes)
        return String(decoding: head, as: UTF8.self).lowercased()
    }

    /// `head` (markup, lowercased) from its root element on: past its XML declaration,
    /// processing instructions, comments and document type.
    private static func rootElement(of head: String) -> Substring {
        var rest = Substring(head)
        while rest.hasPrefix("<?") || rest.hasPrefix("<!") {
            let close = rest.hasPrefix("<!--") ? "-->" : rest.hasPrefix("<?") ? "?>" : ">"
            guard let end = rest.firstRange(of: close)?.upperBound else { return "" }
            rest = rest[end...].drop { $0.isWhitespace }
        }
        return rest
    }

    /// The refusal of `bytes` sent where events belong (`append`, `import`, `POST /v1/events`)
    /// when they are one of ``otherDocument(_:named:)``'s documents: not when they begin as JSON,
    /// as events do. `nil` for anything else, which is then refused line by line, if at all.
    package static func documentInsteadOfEvents(_ bytes: [UInt8], named name: String) -> LedgerError? {
        guard let first = bytes.first(where: { !isSpaceOrMark($0) }), first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        return otherDocument(Array(bytes.prefix(headBytes)), named: name)
    }

    /// What a refusal of a file that is not rows that can be read asks a person to do.
    package static let saveAs = "save it as .xlsx or .ods, or as \"CSV UTF-8\""

    /// How far into a file its kind is looked for: an XML document's root names its namespace
    /// after its declaration and, perhaps, a processing instruction or a comment.
    private static let headBytes = 4096

    /// A byte of white space, or of UTF-8's byte order mark, that may come before a document's
    /// first mark.
    package static func isSpaceOrMark(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}
