internal import CLMDB
#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// The file-backed maps a process reads through, so that a file cut short under its map is
/// explained to a person instead of ending the process with a crash report.
///
/// LMDB reads its data file through a map, and an import reads its input through one. A page of
/// a map past the end of its file cannot be read: the kernel stops the process with `SIGBUS`.
/// That happens when a data file was truncated or copied incompletely (an auditor's damaged
/// copy), or when another program cuts an input short while it is imported. LMDB has no way to
/// return an error there, and no transaction has committed, so nothing is half-written; what
/// a person needs is which file, where it ends and what to do.
///
/// A data file damaged inside (a page that is not what its tree says) stops LMDB too: it asserts
/// (and aborts once its assertion callback returns), or follows a damaged page to an address
/// nothing maps (`SIGSEGV` inside LMDB's code). Those are explained the same way.
///
/// Maps are registered as they are made (``register(_:count:path:kind:)``) wherever this module
/// or the ledger maps a file. Only an executable turns explanations on
/// (``explainFaults(program:storageStatus:verificationStatus:inputStatus:)``): a library does
/// not take a process's signals for itself. A fault outside every registered map, and outside
/// LMDB's code, goes on to the handler there was before (the runtime's crash report).
package enum MappedFiles {
    /// What a mapped file holds, which decides the explanation and the exit status.
    package enum Kind: UInt, Sendable {
        /// A store's data file (`data.mdb`), such as the log's.
        case store = 1
        /// A file being read, such as an import's input.
        case input = 2
        /// The data file of a store that is only ever rebuilt (the read models, from the log).
        case rebuildableStore = 3
    }

    /// A registered map, to give back to ``unregister(_:)`` before the map goes.
    package struct Registration: Sendable {
        fileprivate let slot: Int
    }

    /// Says that a verification is reading the event at `seq` (`nil`: it has not reached an
    /// event yet), so that a fault on a store fails the verification at that seq rather than
    /// reporting a storage error. A relaxed store: cheap enough for every event.
    package static func noteVerifying(seq: UInt64?) {
        verifyingSeq.store(seq ?? verifyingBeforeFirstEvent, ordering: .relaxed)
    }

    /// Says that the verification's failure is to be answered as JSON on standard output
    /// (`{"ok": false, "firstBadSeq": …, "detail": …}`, SPEC's shape), as `verify --json` answers.
    package static func noteVerificationAnswersJSON() {
        verificationAnswersJSON.store(true, ordering: .relaxed)
    }

    /// Says that no verification is running any more.
    package static func noteVerificationEnded() {
        verifyingSeq.store(0, ordering: .relaxed)
    }

    /// Says whether a line on standard error is open (a progress line updating in place on a
    /// terminal): an explanation then begins on a line of its own rather than after it.
    package static func noteStandardErrorLine(open: Bool) {
        standardErrorLineOpen.store(open, ordering: .releasing)
    }

    static let standardErrorLineOpen = Atomic<Bool>(false)

    /// The seq a verification is reading, ``verifyingBeforeFirstEvent`` before its first event, or
    /// 0 when none runs.
    static let verifyingSeq = Atomic<UInt64>(0)
    static let verificationAnswersJSON = Atomic<Bool>(false)
    static let verifyingBeforeFirstEvent = UInt64.max

    /// Records the map of `count` bytes at `base`, of the file at `path`. Returns `nil` (and the
    /// map is simply not explained) when every slot is taken.
    package static func register(_ base: UnsafeRawPointer, count: Int, path: String, kind: Kind) -> Registration? {
        let start = UInt(bitPattern: base)
        return table.withLock { _ in claimSlot(start..<(start + UInt(count)), path: path, kind: kind) }
    }

    /// Records this process's map of `length` bytes of the file with inode `inode` (found in
    /// `/proc/self/maps`: LMDB keeps its map's address to itself), one no registration holds yet
    /// (the same file may be open twice). Returns `nil` when there is none or every slot is taken.
    package static func register(mapOfInode inode: UInt64, length: Int, path: String, kind: Kind) -> Registration? {
        let ranges = mappedRanges(ofInode: inode, length: length)
        return table.withLock { _ in
            let unclaimed = ranges.first { range in
                !(0..<slotCount).contains { starts[$0].load(ordering: .relaxed) == range.lowerBound }
            }
            return unclaimed.flatMap { claimSlot($0, path: path, kind: kind) }
        }
    }

    /// Fills a free slot; the caller holds `table`'s lock.
    private static func claimSlot(_ range: Range<UInt>, path: String, kind: Kind) -> Registration? {
        guard let slot = (0..<slotCount).first(where: { starts[$0].load(ordering: .relaxed) == 0 }) else { return nil }
        copy(path, to: paths + slot * pathCapacity)
        kinds[slot].store(kind.rawValue, ordering: .relaxed)
        ends[slot].store(range.upperBound, ordering: .relaxed)
        // Published last: the handler reads a slot only once its start is set.
        starts[slot].store(range.lowerBound, ordering: .releasing)
        return Registration(slot: slot)
    }

    /// Copies `text` into a buffer of ``pathCapacity`` bytes, cut short there, ending with a 0:
    /// the form the handler reads paths and words in.
    static func copy(_ text: String, to buffer: UnsafeMutablePointer<CChar>) {
        let bytes = Array(text.utf8.prefix(pathCapacity - 1))
        for (offset, byte) in bytes.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }

    /// Forgets a map, before it is unmapped.
    package static func unregister(_ registration: Registration) {
        table.withLock { _ in starts[registration.slot].store(0, ordering: .releasing) }
    }

    /// The address ranges at which this process maps `length` bytes of the file with `inode`.
    private static func mappedRanges(ofInode inode: UInt64, length: Int) -> [Range<UInt>] {
        mappedRanges { fields in UInt64(fields[4]) == inode }.filter { $0.count == length }
    }

    /// The address ranges of this process's maps whose line in `/proc/self/maps`, split into its
    /// fields (START-END PERMS OFFSET DEV INODE [PATH], numbers in hex but the inode), passes `test`.
    static func mappedRanges(where test: ([Substring]) -> Bool) -> [Range<UInt>] {
        guard let maps = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(maps) }
        var ranges: [Range<UInt>] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, maps) > 0, let line {
            let fields = String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard fields.count >= 5, test(fields) else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end else { continue }
            ranges.append(start..<end)
        }
        return ranges
    }

    // MARK: The table the handler reads

    static let slotCount = 64
    static let pathCapacity = 1024
    static let table = Mutex(())
    // Pointers, never reassigned, to atomics that stay where they are made: the handler may read
    // them at any moment, from any thread.
    nonisolated(unsafe) static let starts = makeAtomics()
    nonisolated(unsafe) static let ends = makeAtomics()
    nonisolated(unsafe) static let kinds = makeAtomics()
    nonisolated(unsafe) static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * pathCapacity)
    nonisolated(unsafe) static let programName = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    nonisolated(unsafe) static let rebuildAdviceText = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    nonisolated(unsafe) static var statuses: (storage: Int32, verification: Int32, input: Int32) = (5, 1, 2)
    nonisolated(unsafe) static var previousBusAction = sigaction()
    nonisolated(unsafe) static var previousSegmentationAction = sigaction()
    /// Where LMDB's code is mapped: a segmentation fault there is LMDB following a damaged page.
    nonisolated(unsafe) static var lmdbCode: Range<UInt>?
    static let explaining = Atomic<Bool>(false)

    private static func makeAtomics() -> UnsafeMutablePointer<Atomic<UInt>> {
        let atomics = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: slotCount)
        for slot in 0..<slotCount { (atomics + slot).initialize(to: Atomic(0)) }
        return atomics
    }
}
