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

    private var parser: XMLParser?

    func read(_ data: Data) {
        let parser = XMLParser(data: data)
        parser.delegate = self
        self.parser = parser
        _ = parser.parse()
        self.parser = nil
    }

    /// Reads no further in the part being read: what was wanted has been read.
    func stopReading() { parser?.abortParsing() }

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
}
