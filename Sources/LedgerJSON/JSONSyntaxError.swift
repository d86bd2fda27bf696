/// A text that is not JSON (RFC 8259), with the byte offset where it stops being JSON.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The zero-based byte offset of the problem in the text.
    public let offset: Int
    /// What is wrong, for a person.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
}
