internal import CareLedger
internal import Foundation
#if canImport(FoundationXML)
internal import FoundationXML
#endif

/// Reads one XML part of a workbook as a stream of elements, their names without a namespace
/// prefix (`x:row` is `row`), and keeps what a subclass takes from them.
class PartReader: NSObject, XMLParserDelegate {
    func start(_ name: String, _ attributes: [String: String]) {}
    func end(_ name: String) {}
    func text(_ text: String) {}

    private var parser: XMLParser?, stopped = false, fault: String?

    /// Reads `data`, a part's XML, through ``start(_:_:)``, ``end(_:)`` and ``text(_:)``.
    /// - Returns: where the XML first goes wrong (`its first fault is at line L, column C`), or
    ///   why its text cannot be read, when it is not well-formed: what was read before that point
    ///   is not the whole part, and must not be taken for it.
    func read(_ data: Data) -> String? {
        let input: Data
        switch Self.parserInput(data) {
        case .success(let utf8): input = utf8
        case .failure(let fault): return fault.words
        }
        // Read as a stream: given the data whole, the parser on Linux reports a fault at the end
        // of any part over about 10 MB (libxml2's limit on its input buffer), whole as it is.
        let parser = XMLParser(stream: InputStream(data: input))
        parser.delegate = self
        self.parser = parser
        stopped = false
        fault = nil
        defer { self.parser = nil }
        // A fault is reported to the delegate, though parse() may still say it succeeded (it
        // does on Linux for a document cut short) and the parser may read on past it.
        let parsed = parser.parse()
        if let fault { return fault }
        guard !stopped else { return nil }
        return parsed && parser.parserError == nil ? nil : "its first fault is at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    /// Reads `bytes`, a workbook that is one XML document (a flat `.fods`, an Excel 2003 XML
    /// spreadsheet), whole or not at all.
    /// - Throws: ``LedgerError`` `rejected` for a document over `partLimit` bytes, or one that
    ///   is not well-formed: what was read before its fault is not the whole sheet.
    func readDocument(_ bytes: [UInt8], source: String, partLimit: Int) throws(LedgerError) {
        guard bytes.count <= partLimit else {
            throw LedgerError(.rejected, "\(source) is over \(partLimit >> 20) MiB of XML: record a sheet this large in parts, or save it as .xlsx or .ods")
        }
        if let fault = read(Data(bytes)) {
            throw LedgerError(.rejected, "\(source) is damaged: it is not well-formed XML (\(fault)), so none of it is read")
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if fault == nil && !stopped { fault = "its first fault is at line \(parser.lineNumber), column \(parser.columnNumber)" }
    }

    /// Reads no further in the part being read: what was wanted has been read.
    func stopReading() {
        stopped = true
        parser?.abortParsing()
    }

    static func local(_ name: String) -> String {
        name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        start(Self.local(elementName), attributes)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        end(Self.local(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

    /// A CDATA section's text is text like any other (`<![CDATA[a < b]]>` is `a < b`).
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { text(String(decoding: CDATABlock, as: UTF8.self)) }
}
