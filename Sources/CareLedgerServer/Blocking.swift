internal import NIOPosix

/// Runs LMDB work (synchronous reads, and appends that wait for a sync to disk) on NIO's thread
/// pool, so that no event loop waits on the disk.
func blocking<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await NIOThreadPool.singleton.runIfActive(body)
}
