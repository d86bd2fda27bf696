internal import CareLedger
internal import ServiceLifecycle

/// `serve --verify-every`: the whole log verified when the server starts and then on a schedule,
/// through the same shared run as `GET /v1/verify`, so that `/metrics` always says whether the
/// chain still verifies (`careledger_verification_last_intact`) without anyone asking, and the
/// service manager's journal holds a line for each run.
struct PeriodicVerification: Service {
    let interval: Duration
    let verification: SharedRun<VerificationReport>
    /// Receives a line for each run: what an operator reads in the journal.
    let note: @Sendable (String) -> Void

    func run() async {
        // Ends when the server begins to stop: at once while it waits for the next run; a run
        // under way is finished first, as a GET /v1/verify in flight is.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await verification.value()
                    note(Self.line(report))
                } catch is CancellationError {
                    return
                } catch {
                    note("careledger: scheduled verification could not read the log: \(error)")
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    /// The journal's line for one run.
    static func line(_ report: VerificationReport) -> String {
        report.ok
            ? "careledger: scheduled verification: \(report.checked) events intact, head \(report.head.digestLine)"
            : "careledger: scheduled verification FAILED at seq \(report.firstBadSeq.map(\.description) ?? "?"): \(report.detail ?? "the chain does not verify")"
    }
}
