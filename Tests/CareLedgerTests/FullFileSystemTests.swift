import Foundation
@testable import CareLedger
@testable import LMDBStore
import LedgerTestSupport
import Testing

/// A full disk named as one: LMDB reports a short write at commit as "Input/output error", which
/// sends an operator looking for failing hardware. (Checked by hand on a 24 MiB tmpfs: an import
/// that filled it failed with EIO, and the ledger was left as it was.)
@Suite struct FullFileSystemTests {
    @Test func noSpaceIsNamedWithTheSpaceLeft() throws {
        let folder = TemporaryFolder("full")
        let error = LMDBError(code: .init(ENOSPC), operation: "mdb_txn_commit", context: folder.path)
        let phrase = try #require(error.fullFileSystem)
        #expect(phrase.hasPrefix("the file system holding \(folder.path) is full, with "))
        #expect(phrase.contains(" free of "))
        let refusal = LedgerError.storage(error, "appending", nothingWritten: true)
        #expect(refusal.code == .storage)
        #expect(refusal.rule.hasPrefix("appending failed: the file system holding \(folder.path) is full"))
        #expect(refusal.rule.hasSuffix("(mdb_txn_commit: No space left on device (LMDB code 28) at \(folder.path)): free some space there and run it again; nothing was written"))
    }

    /// An input/output error where there is room left is not called a full disk.
    @Test func anInputOutputErrorWithRoomLeftIsNotCalledFull() {
        let folder = TemporaryFolder("room")
        let error = LMDBError(code: .init(EIO), operation: "mdb_txn_commit", context: folder.path)
        #expect(error.fullFileSystem == nil)
        #expect(LedgerError.storage(error, "appending", nothingWritten: true).rule
            == "appending failed: mdb_txn_commit: Input/output error (LMDB code 5) at \(folder.path); nothing was written")
        #expect(LMDBError(code: .init(EIO), operation: "mdb_txn_commit", context: folder.path + "/gone").fullFileSystem == nil)
    }

    @Test func sizesAreShownInWholeUnits() {
        #expect(FileSystemSpace.size(0) == "0 bytes")
        #expect(FileSystemSpace.size(900) == "900 bytes")
        #expect(FileSystemSpace.size(24 << 20) == "24 MiB")
        #expect(FileSystemSpace.size(3 << 30 + 1) == "3 GiB")
    }
}
