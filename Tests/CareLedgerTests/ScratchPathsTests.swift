import Foundation
import LedgerTestSupport
@testable import LMDBStore
import Synchronization
import Testing

/// The table a signal handler reads to remove a process's scratch paths. Each test works on its
/// own registration's slot alone: ``ScratchPaths/removeAll()`` would remove the scratch paths of
/// every test running beside it in this process.
@Suite struct ScratchPathsTests {
    /// A slot the handler has claimed is neither freed nor written again, so a thread that
    /// unregisters it and registers new paths meanwhile cannot splice them into what the handler
    /// is reading.
    @Test func aSlotClaimedByTheHandlerIsNotReusedWhileItReads() throws {
        let folder = TemporaryFolder("scratch-slots")
        let first = folder.path + "/first", second = folder.path + "/second"
        for path in [first, second] { #expect(FileManager.default.createFile(atPath: path, contents: Data([1]))) }

        let claimed = try #require(ScratchPaths.register([first]))
        ScratchPaths.remove(slot: claimed.slot)
        #expect(!FileManager.default.fileExists(atPath: first), "the handler removed the registered path")

        ScratchPaths.unregister(claimed)
        #expect(ScratchPaths.states[claimed.slot].load(ordering: .relaxed) == .removing,
                "unregistering does not free a slot the handler holds")
        let next = try #require(ScratchPaths.register([second]))
        defer { ScratchPaths.unregister(next) }
        #expect(next.slot != claimed.slot, "a new registration takes another slot")
        let kept = String(cString: ScratchPaths.lists + claimed.slot * ScratchPaths.slotCapacity)
        #expect(kept == first, "the claimed slot still holds what the handler read")

        // Removing the claimed slot again does nothing; the other registration is untouched.
        ScratchPaths.remove(slot: claimed.slot)
        #expect(FileManager.default.fileExists(atPath: second))
    }

    /// Registered and then unregistered, a slot is free again, and nothing is removed.
    @Test func anUnregisteredSlotIsFreeAndItsPathsStay() throws {
        let folder = TemporaryFolder("scratch-free")
        let path = folder.path + "/kept"
        #expect(FileManager.default.createFile(atPath: path, contents: Data([1])))
        let registration = try #require(ScratchPaths.register([path]))
        ScratchPaths.unregister(registration)
        #expect(ScratchPaths.states[registration.slot].load(ordering: .relaxed) == .free)
        ScratchPaths.remove(slot: registration.slot)
        #expect(FileManager.default.fileExists(atPath: path), "an unregistered path is never removed")
    }
}
