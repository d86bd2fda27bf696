import CareLedger
import Dispatch
import Foundation
import Synchronization

/// Says on standard error, when a write has waited a second for another writer's lock (a large
/// import holds it until it commits), that it is waiting and not stuck; and then that it goes on.
/// Shown where progress is (``ProgressLine``): on a terminal, or with CARELEDGER_PROGRESS=always.
enum WriterWaitNotice {
    /// How long a write waits before it says so.
    static let patience: DispatchTimeInterval = .seconds(1)

    /// Where a write stands, as the notice goes.
    private enum Stage { case waitingQuietly, saidItWaits, holdsTheLock }

    /// Runs `write`, saying so if it waits for the lock.
    static func whileWaiting<Value, Failure: Error>(_ write: () throws(Failure) -> Value) throws(Failure) -> Value {
        guard ProgressLine().shown else { return try write() }
        let stage = Mutex(Stage.waitingQuietly)
        let notice = DispatchWorkItem {
            let say = stage.withLock { stage -> Bool in
                guard stage == .waitingQuietly else { return false }
                stage = .saidItWaits
                return true
            }
            if say { StandardStream.error.write("careledger: waiting for another writer to finish (an import, say): nothing is lost by waiting\n") }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + patience, execute: notice)
        defer { notice.cancel() }
        let lockTaken: @Sendable () -> Void = {
            let said = stage.withLock { stage -> Bool in
                defer { stage = .holdsTheLock }
                return stage == .saidItWaits
            }
            if said { StandardStream.error.write("careledger: the other writer finished; writing now\n") }
        }
        // Kept as a `Result`, so that the write's own error type comes through the task-local scope.
        var outcome: Result<Value, Failure>?
        WriterLock.$taken.withValue(lockTaken) { outcome = Result { () throws(Failure) -> Value in try write() } }
        return try outcome!.get()
    }
}
