import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
/// Each test makes its own, so tests can run in parallel.
public final class TemporaryFolder: @unchecked Sendable {
    // @unchecked: the only state is an immutable path.
    public let path: String

    public init(_ label: String = "test") {
        let template = NSTemporaryDirectory() + "careledger-\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(decoding: bytes.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to a file inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        _ = FileManager.default.createFile(atPath: target, contents: Data(text.utf8))
        return target
    }
}
