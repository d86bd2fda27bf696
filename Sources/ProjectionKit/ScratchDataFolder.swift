internal import LMDBStore
internal import Foundation
internal import Synchronization

/// A data folder for read models built for one command alone (a rebuild to compare with the
/// kept ones, or the read models of a copy this user may not write), under the system's
/// temporary directory. A rebuild of a large log fills it with hundreds of megabytes, so it is
/// removed by ``remove()`` or when this value goes, and also when a signal (Ctrl-C, a damaged
/// file explained) ends the process before either.
public final class ScratchDataFolder: Sendable {
    /// The folder, to give to ``ProjectionStore/init(dataFolder:projections:chunkSize:)``.
    public let path: String
    private let registration: ScratchPaths.Registration?
    private let removed = Mutex(false)

    /// Names a new folder, `careledger-PURPOSE-UUID`; the store made in it creates it.
    public init(purpose: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("careledger-\(purpose)-\(UUID().uuidString)").path
        // Registered before anything is made in it: a signal in between would leave it.
        registration = ScratchPaths.register(ScratchPaths.environment(in: ProjectionStore.folder(in: path)) + [path])
    }

    /// Removes the folder and all it holds; once is enough, later calls do nothing.
    public func remove() {
        removed.withLock { removed in
            guard !removed else { return }
            try? FileManager.default.removeItem(atPath: path)
            if let registration { ScratchPaths.unregister(registration) }
            removed = true
        }
    }

    deinit { remove() }
}
