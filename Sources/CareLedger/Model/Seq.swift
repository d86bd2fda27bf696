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

/// A number as the log's databases store it (8 bytes, big-endian, at `offset` of `bytes`, read
/// from `what`): bytes too few for one are damage to the data file, reported, not read past.
func storedBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0, in what: @autoclosure () -> String) throws(LedgerError) -> UInt64 {
    guard bytes.count >= offset + 8 else {
        throw LedgerError(.damaged, "\(what()) holds \(bytes.count) bytes where 8 belong from byte \(offset): the data file is damaged (`careledger verify` names where)")
    }
    return readBigEndian(bytes, at: offset)
}

/// A seq as the log's databases store it: ``storedBigEndian(_:at:in:)``.
func storedSeq(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0, in what: @autoclosure () -> String) throws(LedgerError) -> Seq {
    Seq(try storedBigEndian(bytes, at: offset, in: what()))
}

@inline(__always)
func readBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
    var value: UInt64 = 0
    withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])) }
    return UInt64(bigEndian: value)
}
