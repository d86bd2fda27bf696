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

    /// Runs `write`, saying so if it waits for the lock.
    static func whileWaiting<Value, Failure: Error>(_ write: () throws(Failure) -> Value) throws(Failure) -> Value {
        guard ProgressLine().shown else { return try write() }
        // nil: waiting, nothing said; false: said so; true: the lock was taken.
        let state = Mutex<Bool?>(nil)
        let notice = DispatchWorkItem {
            let say = state.withLock { taken -> Bool in
                guard taken == nil else { return false }
                taken = false
                return true
            }
            if say { FileHandle.standardError.write(Data("careledger: waiting for another writer to finish (an import, say): nothing is lost by waiting\n".utf8)) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + patience, execute: notice)
        defer { notice.cancel() }
        let lockTaken: @Sendable () -> Void = {
            let said = state.withLock { taken -> Bool in
                defer { taken = true }
                return taken == false
            }
            if said { FileHandle.standardError.write(Data("careledger: the other writer finished; writing now\n".utf8)) }
        }
        // Kept as a `Result`, so that the write's own error type comes through the task-local scope.
        var outcome: Result<Value, Failure>?
        WriterLock.$taken.withValue(lockTaken) { outcome = Result { () throws(Failure) -> Value in try write() } }
        return try outcome!.get()
    }
}
