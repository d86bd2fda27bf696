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
        /// A store's data file (`data.mdb`): the log, or a projection store.
        case store = 1
        /// A file being read, such as an import's input.
        case input = 2
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

    /// Says that no verification is running any more.
    package static func noteVerificationEnded() {
        verifyingSeq.store(0, ordering: .relaxed)
    }

    /// The seq a verification is reading, ``verifyingBeforeFirstEvent`` before its first event, or
    /// 0 when none runs.
    private static let verifyingSeq = Atomic<UInt64>(0)
    private static let verifyingBeforeFirstEvent = UInt64.max

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
        let stored = paths + slot * pathCapacity
        let bytes = Array(path.utf8.prefix(pathCapacity - 1))
        for (offset, byte) in bytes.enumerated() { stored[offset] = CChar(bitPattern: byte) }
        stored[bytes.count] = 0
        kinds[slot].store(kind.rawValue, ordering: .relaxed)
        ends[slot].store(range.upperBound, ordering: .relaxed)
        // Published last: the handler reads a slot only once its start is set.
        starts[slot].store(range.lowerBound, ordering: .releasing)
        return Registration(slot: slot)
    }

    /// Forgets a map, before it is unmapped.
    package static func unregister(_ registration: Registration) {
        table.withLock { _ in starts[registration.slot].store(0, ordering: .releasing) }
    }

    /// Installs the process's `SIGBUS` handler: a fault inside a registered map writes what
    /// happened to standard error, prefixed with `program`, and ends the process with the status
    /// its kind calls for (a store's during a verification with `verificationStatus`).
    package static func explainFaults(program: String, storageStatus: Int32, verificationStatus: Int32, inputStatus: Int32) {
        table.withLock { _ in
            let name = Array(program.utf8.prefix(pathCapacity - 1))
            for (offset, byte) in name.enumerated() { programName[offset] = CChar(bitPattern: byte) }
            programName[name.count] = 0
            statuses = (storageStatus, verificationStatus, inputStatus)
            // Made now, not first in the handler.
            _ = verifyingSeq.load(ordering: .relaxed)
            SignalSafeText.prepare()
            lmdbCode = mappedRanges { fields in fields[1].contains("x") && (fields.last?.contains("liblmdb") ?? false) }.first
            var action = sigaction()
            action.__sigaction_handler = .init(sa_sigaction: handleFault)
            action.sa_flags = SA_SIGINFO
            sigemptyset(&action.sa_mask)
            sigaction(SIGBUS, &action, &previousBusAction)
            action.__sigaction_handler = .init(sa_sigaction: handleSegmentationFault)
            sigaction(SIGSEGV, &action, &previousSegmentationAction)
            explaining.store(true, ordering: .releasing)
        }
    }

    /// LMDB's assertion callback, set on every environment: LMDB asserts when a page it reads
    /// is not what its tree says, and aborts once this returns, which it does unless the
    /// executable asked for explanations.
    static let lmdbAssertion: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { environment, message in
        guard explaining.load(ordering: .acquiring) else { return }
        var folder: UnsafePointer<CChar>?
        if let environment { _ = mdb_env_get_path(environment, &folder) }
        explainDamage(folder: folder, detail: message)
    }

    /// The address ranges at which this process maps `length` bytes of the file with `inode`.
    private static func mappedRanges(ofInode inode: UInt64, length: Int) -> [Range<UInt>] {
        mappedRanges { fields in UInt64(fields[4]) == inode }.filter { $0.count == length }
    }

    /// The address ranges of this process's maps whose line in `/proc/self/maps`, split into its
    /// fields (START-END PERMS OFFSET DEV INODE [PATH], numbers in hex but the inode), passes `test`.
    private static func mappedRanges(where test: ([Substring]) -> Bool) -> [Range<UInt>] {
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

    private static let slotCount = 64
    private static let pathCapacity = 1024
    private static let table = Mutex(())
    // Pointers, never reassigned, to atomics that stay where they are made: the handler may read
    // them at any moment, from any thread.
    nonisolated(unsafe) private static let starts = makeAtomics()
    nonisolated(unsafe) private static let ends = makeAtomics()
    nonisolated(unsafe) private static let kinds = makeAtomics()
    nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * pathCapacity)
    nonisolated(unsafe) private static let programName = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    nonisolated(unsafe) private static var statuses: (storage: Int32, verification: Int32, input: Int32) = (5, 1, 2)
    nonisolated(unsafe) private static var previousBusAction = sigaction()
    nonisolated(unsafe) private static var previousSegmentationAction = sigaction()
    /// Where LMDB's code is mapped: a segmentation fault there is LMDB following a damaged page.
    nonisolated(unsafe) private static var lmdbCode: Range<UInt>?
    private static let explaining = Atomic<Bool>(false)

    private static func makeAtomics() -> UnsafeMutablePointer<Atomic<UInt>> {
        let atomics = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: slotCount)
        for slot in 0..<slotCount { (atomics + slot).initialize(to: Atomic(0)) }
        return atomics
    }

    /// Runs in the signal handler: only loads, `stat`, `write` and `_exit`.
    private static let handleFault: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, info, _ in
        let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
        for slot in 0..<slotCount {
            let start = starts[slot].load(ordering: .acquiring)
            guard start != 0, address >= start, address < ends[slot].load(ordering: .relaxed) else { continue }
            explain(slot: slot, offset: UInt64(address - start))
        }
        // Not a registered map: put back the handler there was, and let the access fault again.
        sigaction(SIGBUS, &previousBusAction, nil)
    }

    /// Runs in the signal handler: LMDB's code reading an address nothing maps, which it does
    /// only when a page it followed was damaged. Anything else goes on to the handler there was.
    private static let handleSegmentationFault: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, _, context in
        if let lmdbCode, let context, lmdbCode.contains(instructionAddress(context)) {
            explainDamage(folder: nil, detail: nil)
        }
        sigaction(SIGSEGV, &previousSegmentationAction, nil)
    }

    /// The address of the instruction that faulted, from the signal's machine context.
    private static func instructionAddress(_ context: UnsafeMutableRawPointer) -> UInt {
        #if arch(x86_64)
        UInt(bitPattern: Int(context.assumingMemoryBound(to: ucontext_t.self).pointee.uc_mcontext.gregs.16))  // REG_RIP
        #elseif arch(arm64)
        UInt(context.assumingMemoryBound(to: ucontext_t.self).pointee.uc_mcontext.pc)
        #else
        0
        #endif
    }

    /// Says that a data file is damaged inside, and exits: in LMDB's folder `folder` when known,
    /// else in every registered store's file. Only async-signal-safe calls.
    private static func explainDamage(folder: UnsafePointer<CChar>?, detail: UnsafePointer<CChar>?) -> Never {
        let verifying = verifyingSeq.load(ordering: .relaxed)
        var message = SignalSafeText()
        if verifying != 0 {
            message.append("Verification FAILED")
            if verifying != verifyingBeforeFirstEvent { message.append(" at seq "); message.append(verifying) }
            message.append(": ")
        } else {
            message.append(UnsafePointer(programName)); message.append(": ")
        }
        if let folder {
            message.append("the data file "); message.append(folder); message.append("/data.mdb")
        } else {
            message.append("a data file (")
            var first = true
            for slot in 0..<slotCount where starts[slot].load(ordering: .acquiring) != 0 && kinds[slot].load(ordering: .relaxed) == Kind.store.rawValue {
                if !first { message.append(", ") }
                message.append(UnsafePointer(paths + slot * pathCapacity))
                first = false
            }
            message.append(")")
        }
        message.append(" is damaged: LMDB met a page that is not what its tree says")
        if let detail { message.append(" ("); message.append(detail); message.append(")") }
        message.append(verifying != 0
            ? ". Restore the ledger from a backup.\n"
            : ". Nothing more was written; restore it from a backup.\n")
        message.write(to: 2)
        _exit(verifying != 0 ? statuses.verification : statuses.storage)
    }

    private static func explain(slot: Int, offset: UInt64) -> Never {
        let path = UnsafePointer(paths + slot * pathCapacity)
        var info = stat()
        let fileSize: UInt64? = stat(path, &info) == 0 ? UInt64(info.st_size) : nil
        let verifying = verifyingSeq.load(ordering: .relaxed)
        let status: Int32
        var message = SignalSafeText()
        if kinds[slot].load(ordering: .relaxed) == Kind.input.rawValue {
            message.append(UnsafePointer(programName)); message.append(": ")
            message.append(path)
            message.appendEnd(of: fileSize, needed: offset, by: "was being read")
            message.append(": another program cut it short while it was read. Nothing was written from it.\n")
            status = statuses.input
        } else if verifying != 0 {
            message.append("Verification FAILED")
            if verifying != verifyingBeforeFirstEvent { message.append(" at seq "); message.append(verifying) }
            message.append(": the data file "); message.append(path)
            message.appendEnd(of: fileSize, needed: offset, by: "holds part of the log")
            message.append(": the file was cut short (truncated, or copied incompletely). Restore the ledger from a backup.\n")
            status = statuses.verification
        } else {
            message.append(UnsafePointer(programName)); message.append(": the data file "); message.append(path)
            message.appendEnd(of: fileSize, needed: offset, by: "is in use")
            message.append(": the file was cut short (truncated, or copied incompletely). Nothing more was written; restore it from a backup.\n")
            status = statuses.storage
        }
        message.write(to: 2)
        _exit(status)
    }
}

/// A message assembled without allocating, for a signal handler: bytes appended to a buffer
/// made beforehand, cut off at its end.
private struct SignalSafeText {
    private static let capacity = 4096
    nonisolated(unsafe) private static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    private var count = 0

    /// Made when faults are first explained, not first in the handler.
    static func prepare() { _ = buffer }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { append(byte) } }
    }

    mutating func append(_ text: UnsafePointer<CChar>) {
        var at = text
        while at.pointee != 0 { append(UInt8(bitPattern: at.pointee)); at += 1 }
    }

    mutating func append(_ number: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var length = 0
        var rest = number
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[length] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                length += 1
            } while rest > 0
            while length > 0 { length -= 1; append(digits[length]) }
        }
    }

    /// ` ends at byte SIZE, but byte OFFSET WHY` (` ends before byte OFFSET, which WHY` when
    /// the size could not be read).
    mutating func appendEnd(of fileSize: UInt64?, needed offset: UInt64, by why: StaticString) {
        if let fileSize {
            append(" ends at byte "); append(fileSize); append(", but byte "); append(offset); append(" ")
        } else {
            append(" ends before byte "); append(offset); append(", which ")
        }
        append(why)
    }

    private mutating func append(_ byte: UInt8) {
        guard count < Self.capacity else { return }
        Self.buffer[count] = byte
        count += 1
    }

    func write(to descriptor: Int32) {
        var written = 0
        while written < count {
            let result = Glibc.write(descriptor, Self.buffer + written, count - written)
            if result <= 0 { return }
            written += result
        }
    }
}
