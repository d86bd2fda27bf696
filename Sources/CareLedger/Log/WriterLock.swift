/// The moment a batch holds the log's write lock, for a command line that tells a person it is
/// waiting for another writer (LMDB lets one in at a time, across processes: a `careledger
/// import` of a large file holds the lock until it commits).
package enum WriterLock {
    /// Called on the writing thread once the lock is held, by every batch begun in its scope.
    @TaskLocal package static var taken: (@Sendable () -> Void)?
}
