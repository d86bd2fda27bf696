/// A global position in the log: 1, 2, 3, … with no gaps.
public struct Seq: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { self.rawValue = value }

    /// The position before the first event: the log is empty at `zero`.
    public static let zero = Seq(0)
    /// The position after this one.
    public var next: Seq { Seq(rawValue + 1) }
    public static func < (a: Seq, b: Seq) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }

    /// The eight big-endian bytes that order seqs in LMDB as numbers.
    var key: [UInt8] { bigEndianBytes(rawValue) }
}

/// A position within one stream, from 1. Version 0 means the stream does not exist yet.
public struct StreamVersion: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { self.rawValue = value }

    /// The version of a stream with no events.
    public static let none = StreamVersion(0)
    public var next: StreamVersion { StreamVersion(rawValue + 1) }
    public static func < (a: StreamVersion, b: StreamVersion) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

@inline(__always)
func bigEndianBytes(_ value: UInt64) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

@inline(__always)
func readBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
    var value: UInt64 = 0
    withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])) }
    return UInt64(bigEndian: value)
}
