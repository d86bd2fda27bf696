internal import Logging
internal import Foundation
internal import CareLedger

/// The server's log: warnings and errors on standard error, one line each.
///
/// Hummingbird tags every request's logger with a request id; swift-log's `StreamLogHandler`
/// formats all metadata into text each time metadata is set, which cost every request a few
/// microseconds for lines that, below the warning level, are never written. This handler keeps
/// metadata as given and formats it only for a line it writes.
struct ServerLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // One line an entry, whatever a request sent: its control characters, line breaks
        // included, are shown as codes, so that none runs in the operator's terminal or forges
        // a line of the journal.
        let line = TerminalText.visible("\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)\(details.isEmpty ? "" : " [\(details)]")") + "\n"
        StandardStream.error.write(line)
    }
}
