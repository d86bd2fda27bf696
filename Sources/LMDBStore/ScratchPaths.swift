#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// Files and folders a process makes for itself alone and removes when done (the read models
/// rebuilt in a temporary folder to compare with the kept ones, a demo's generated input), so
/// that they are removed too when a signal ends the process first.
///
/// A rebuild of a large log's read models takes a while and fills its temporary folder with
/// hundreds of megabytes; a person who presses Ctrl-C, or a damaged file explained by
/// ``MappedFiles``, ends the process before any `defer` runs. The registered paths are removed
/// then, from the signal handler, with `unlink` and `rmdir` alone: only what was registered,
/// in the order given, and a folder only once it is empty, so nothing else is ever removed.
///
/// Register a path before making it (a signal between making and registering would leave it),
/// remove it yourself when done, then ``unregister(_:)``.
package enum ScratchPaths {
    /// A registered list of paths, to give back to ``unregister(_:)``.
    package struct Registration: Sendable {
        let slot: Int
    }

    /// Records `paths`, to be removed in this order if a signal ends the process: files with
    /// `unlink`, folders (once empty) with `rmdir`; so a folder comes after what it holds.
    /// Returns `nil` (and they are simply left behind then) when every slot is taken or the
    /// paths do not fit.
    package static func register(_ paths: [String]) -> Registration? {
        let packed: [UInt8] = paths.flatMap { path -> [UInt8] in Array(path.utf8) + [0] } + [0]
        guard packed.count <= slotCapacity, !paths.contains(where: { $0.isEmpty || $0.utf8.contains(0) }) else { return nil }
        for slot in 0..<slotCount where states[slot].compareExchange(
            expected: .free, desired: .writing, ordering: .acquiring).exchanged {
            let buffer = lists + slot * slotCapacity
            for (offset, byte) in packed.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            // Published last: a handler reads a slot only once it is registered.
            states[slot].store(.registered, ordering: .releasing)
            return Registration(slot: slot)
        }
        return nil
    }

    /// What an LMDB environment made in `folder` consists of, in the order to remove it: its
    /// data and lock files, then the folder.
    package static func environment(in folder: String) -> [String] {
        [folder + "/data.mdb", folder + "/lock.mdb", folder]
    }

    /// Forgets paths that their maker has removed (or keeps on purpose). A slot a handler has
    /// claimed stays claimed: the process is ending, and the handler is reading it.
    package static func unregister(_ registration: Registration) {
        _ = states[registration.slot].compareExchange(
            expected: .registered, desired: .free, ordering: .releasing)
    }

    /// Removes every registered path. Async-signal-safe: only lock-free atomics, `unlink` and
    /// `rmdir`, which is why a handler about to end the process may call it.
    ///
    /// Each slot is claimed before it is read, and a claimed slot is never freed or written
    /// again: a thread that unregisters a slot and registers new paths while a handler reads
    /// could otherwise hand it a path spliced from two lists.
    static func removeAll() {
        for slot in 0..<slotCount { remove(slot: slot) }
    }

    /// Claims `slot` if it is registered and removes its paths. Async-signal-safe.
    static func remove(slot: Int) {
        guard states[slot].compareExchange(expected: .registered, desired: .removing, ordering: .acquiring).exchanged else { return }
        var path = UnsafePointer(lists + slot * slotCapacity)
        while path.pointee != 0 {
            if unlink(path) != 0 { _ = rmdir(path) }
            path += strlen(path) + 1
        }
    }

    /// Installs the handlers that remove the registered paths when the process is interrupted
    /// (`SIGINT`: Ctrl-C), told to end (`SIGTERM`, `SIGHUP`) or writes to a closed pipe
    /// (`SIGPIPE`: `careledger read | head`), then let that signal end it as it would have.
    /// For an executable that has no handlers of its own for these (a server with a graceful
    /// shutdown has). A signal the process was started with ignored stays ignored: `nohup`
    /// ignores `SIGHUP` so that a command outlives its terminal.
    package static func removeOnTermination() {
        prepare()
        var action = sigaction()
        action.__sigaction_handler = .init(sa_handler: handleTermination)
        sigemptyset(&action.sa_mask)
        for signal in terminationSignals {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, !isIgnored(current) else { continue }
            sigaction(signal, &action, nil)
        }
    }

    /// Makes the table now, so that a handler never is the first to touch it.
    static func prepare() {
        _ = states
        _ = lists
    }

    /// Whether `action` ignores its signal (`SIG_IGN`).
    private static func isIgnored(_ action: sigaction) -> Bool {
        action.sa_flags & SA_SIGINFO == 0
            && unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    /// Runs in the signal handler: removes, then ends the process by the same signal with its
    /// default action (it is blocked until the handler returns).
    private static let handleTermination: @convention(c) (Int32) -> Void = { signal in
        removeAll()
        var action = sigaction()
        action.__sigaction_handler = .init(sa_handler: SIG_DFL)
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        raise(signal)
    }

    // MARK: The table the handler reads

    static let slotCount = 16
    static let slotCapacity = 4096

    /// What a slot is doing: free; being written by ``register(_:)``; registered (what a handler
    /// removes); or claimed by a handler, which reads it and ends the process. Moved between
    /// states by compare-and-exchange alone, so that no two parties ever own one slot.
    enum SlotState: Int, AtomicRepresentable {
        case free, writing, registered, removing
    }

    // Pointers, never reassigned, made once: the handler may read them at any moment.
    nonisolated(unsafe) static let states: UnsafeMutablePointer<Atomic<SlotState>> = {
        let states = UnsafeMutablePointer<Atomic<SlotState>>.allocate(capacity: slotCount)
        for slot in 0..<slotCount { (states + slot).initialize(to: Atomic(SlotState.free)) }
        return states
    }()
    nonisolated(unsafe) static let lists = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotCapacity)
}
