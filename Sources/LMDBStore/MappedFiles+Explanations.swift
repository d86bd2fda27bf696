#if canImport(Glibc)
internal import Glibc
#endif
internal import CLMDB
internal import Synchronization

/// The handlers that explain a damaged or cut-short file, and what they say.
extension MappedFiles {
    /// Installs the process's handlers: a fault inside a registered map (`SIGBUS`), an assertion
    /// of LMDB's, or a fault in LMDB's code (`SIGSEGV`) writes what happened to standard error,
    /// prefixed with `program` (or, during a verification, as its failure), and ends the process
    /// with the status its kind calls for (a store's during a verification `verificationStatus`),
    /// removing the ``ScratchPaths`` first.
    /// - Parameter rebuildAdvice: what mends a damaged store that is only ever rebuilt
    ///   (``Environment/Options/isRebuildable``), such as "rebuild the read models with …".
    package static func explainFaults(program: String, storageStatus: Int32, verificationStatus: Int32, inputStatus: Int32,
                                      rebuildAdvice: String) {
        table.withLock { _ in
            copy(program, to: programName)
            copy(rebuildAdvice, to: rebuildAdviceText)
            statuses = (storageStatus, verificationStatus, inputStatus)
            // Made now, not first in the handler.
            _ = verifyingSeq.load(ordering: .relaxed)
            _ = verificationAnswersJSON.load(ordering: .relaxed)
            SignalSafeText.prepare()
            ScratchPaths.prepare()
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

    /// Runs in the signal handler: only loads, `stat`, `write`, removing scratch paths and `_exit`.
    private static let handleFault: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, info, _ in
        let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
        for slot in 0..<slotCount {
            let start = starts[slot].load(ordering: .acquiring)
            guard start != 0, address >= start, address < ends[slot].load(ordering: .relaxed) else { continue }
            explain(slot: slot, offset: UInt64(address - start))
        }
        // Not a registered map: put back the handler there was, and let the access fault again
        // (the process ends there, so its scratch paths go now).
        ScratchPaths.removeAll()
        sigaction(SIGBUS, &previousBusAction, nil)
    }

    /// Runs in the signal handler: LMDB's code reading an address nothing maps, which it does
    /// only when a page it followed was damaged. Anything else goes on to the handler there was.
    private static let handleSegmentationFault: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, _, context in
        if let lmdbCode, let context, lmdbCode.contains(instructionAddress(context)) {
            explainDamage(folder: nil, detail: nil)
        }
        ScratchPaths.removeAll()
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
        appendOpening(to: &message, verifying: verifying)
        var rebuildable = false
        if let folder {
            message.append("the data file "); message.append(folder); message.append("/data.mdb")
            rebuildable = (0..<slotCount).contains { slot in
                starts[slot].load(ordering: .acquiring) != 0 && kinds[slot].load(ordering: .relaxed) == Kind.rebuildableStore.rawValue
                    && isDataFile(UnsafePointer(paths + slot * pathCapacity), of: folder)
            }
        } else {
            message.append("a data file (")
            var first = true
            for slot in 0..<slotCount where starts[slot].load(ordering: .acquiring) != 0 && kinds[slot].load(ordering: .relaxed) != Kind.input.rawValue {
                if !first { message.append(", ") }
                message.append(UnsafePointer(paths + slot * pathCapacity))
                first = false
            }
            message.append(")")
        }
        message.append(" is damaged: LMDB met a page that is not what its tree says")
        if let detail { message.append(" ("); message.append(detail); message.append(")") }
        message.append(". ")
        let answer = destination(of: message)
        appendAdvice(to: &message, rebuildable: rebuildable, verifying: verifying != 0)
        message.write(to: answer)
        ScratchPaths.removeAll()
        _exit(verifying != 0 ? statuses.verification : statuses.storage)
    }

    /// What mends a damaged store, and the line's end: rebuilding one that is only ever
    /// rebuilt, else restoring a backup (and outside a verification, that nothing more was written).
    private static func appendAdvice(to message: inout SignalSafeText, rebuildable: Bool, verifying: Bool) {
        message.append(verifying ? "To mend it, " : "Nothing more was written; ")
        if rebuildable {
            message.append(UnsafePointer(rebuildAdviceText))
        } else {
            message.append("restore it from a backup")
        }
        message.append(".")
        if message.escapesJSON {
            message.escapesJSON = false
            message.appendRaw("\"}")
        }
        message.appendRaw("\n")
    }

    /// Where the explanation goes: a JSON answer to standard output, words to standard error.
    private static func destination(of message: SignalSafeText) -> Int32 {
        message.escapesJSON ? 1 : 2
    }

    /// Whether `path` is `folder` followed by `/data.mdb`, compared without allocating.
    private static func isDataFile(_ path: UnsafePointer<CChar>, of folder: UnsafePointer<CChar>) -> Bool {
        var at = 0
        while folder[at] != 0 {
            if path[at] != folder[at] { return false }
            at += 1
        }
        let suffix: StaticString = "/data.mdb"
        return suffix.withUTF8Buffer { suffix in
            for (offset, byte) in suffix.enumerated() where UInt8(bitPattern: path[at + offset]) != byte { return false }
            return path[at + suffix.count] == 0
        }
    }

    /// `Verification FAILED at seq N: ` during a verification, else `PROGRAM: `; for a
    /// verification that answers JSON, `{"ok":false,"firstBadSeq":N,"detail":"` and what follows
    /// escaped, until ``appendAdvice(to:rebuildable:verifying:)`` closes it.
    private static func appendOpening(to message: inout SignalSafeText, verifying: UInt64) {
        guard verifying != 0 else {
            message.append(UnsafePointer(programName))
            message.append(": ")
            return
        }
        let seq = verifying != verifyingBeforeFirstEvent ? verifying : nil
        if verificationAnswersJSON.load(ordering: .relaxed) {
            message.appendRaw("{\"ok\":false,\"firstBadSeq\":")
            if let seq { message.append(seq) } else { message.appendRaw("null") }
            message.appendRaw(",\"detail\":\"")
            message.escapesJSON = true
            return
        }
        message.append("Verification FAILED")
        if let seq { message.append(" at seq "); message.append(seq) }
        message.append(": ")
    }

    /// Says that the file of `slot` ends before `offset`, which was read, and exits.
    private static func explain(slot: Int, offset: UInt64) -> Never {
        let path = UnsafePointer(paths + slot * pathCapacity)
        var info = stat()
        let fileSize: UInt64? = stat(path, &info) == 0 ? UInt64(info.st_size) : nil
        let verifying = verifyingSeq.load(ordering: .relaxed)
        let status: Int32
        var answer: Int32 = 2
        var message = SignalSafeText()
        if kinds[slot].load(ordering: .relaxed) == Kind.input.rawValue {
            message.append(UnsafePointer(programName)); message.append(": ")
            message.append(path)
            message.appendEnd(of: fileSize, needed: offset, by: "was being read")
            message.append(": another program cut it short while it was read. Nothing was written from it.\n")
            status = statuses.input
        } else {
            appendOpening(to: &message, verifying: verifying)
            message.append("the data file "); message.append(path)
            message.appendEnd(of: fileSize, needed: offset, by: verifying != 0 ? "holds part of what is verified" : "is in use")
            message.append(": the file was cut short (truncated, or copied incompletely). ")
            answer = destination(of: message)
            appendAdvice(to: &message, rebuildable: kinds[slot].load(ordering: .relaxed) == Kind.rebuildableStore.rawValue,
                         verifying: verifying != 0)
            status = verifying != 0 ? statuses.verification : statuses.storage
        }
        message.write(to: answer)
        ScratchPaths.removeAll()
        _exit(status)
    }
}
