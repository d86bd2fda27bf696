internal import CareLedger
internal import SpreadsheetRows
internal import Subprocess
internal import SystemPackage
#if canImport(Glibc)
internal import Glibc
#endif

/// How the server reads a posted workbook's sheet: in a child process of its own, or in its own.
///
/// A workbook is untrusted bytes, and reading one hands them to Foundation's XML parser, which
/// has crashed the whole process on damaged files: one post, any writer's, stopped the server
/// for everybody. `careledger serve` therefore reads each in a child, `careledger
/// workbook-sheet`, which bounds its own CPU time and memory (``Limits``); when the child stops
/// without an answer, that request is refused with the reason and the server answers the next.
/// Reading in process is for an application built in a test's process, whose executable is
/// not careledger.
public struct SheetReader: Sendable {
    private enum Way: Sendable {
        case inProcess
        case childProcess(executable: String)
    }

    private let way: Way
    /// Told, in a line for the operator's log, of each child that ended without an answer:
    /// the person posting is told too, but a reader that keeps stopping is the operator's to
    /// look into.
    private var onStop: (@Sendable (String) -> Void)?

    /// Reads in the server's own process.
    public static let inProcess = SheetReader(way: .inProcess)

    /// Reads in a child process: `executable` run as `executable workbook-sheet --source NAME
    /// [--sheet NAME]`, the workbook on its standard input and a ``SheetMessage`` on its
    /// standard output. The default, `/proc/self/exe`, is the running careledger itself (the
    /// file it was started from, even if an upgrade has since replaced it).
    public static func childProcess(executable: String = "/proc/self/exe") -> SheetReader {
        SheetReader(way: .childProcess(executable: executable))
    }

    /// This reader, telling `onStop` of each child that ended without an answer.
    func reporting(to onStop: @escaping @Sendable (String) -> Void) -> SheetReader {
        var reader = self
        reader.onStop = onStop
        return reader
    }

    /// The sheet named `name` (else the first not hidden) of the workbook in `bytes`, as
    /// ``Workbook/sheet(of:source:named:)`` reads it.
    /// - Throws: ``LedgerError``: the reader's refusal as it made it; `rejected` when the child
    ///   stopped without an answer; `unavailable` when it could not be started.
    func sheet(of bytes: [UInt8], source: String, named name: String?) async throws -> Workbook.Sheet {
        switch way {
        case .inProcess:
            return try await blocking { try Workbook.sheet(of: bytes, source: source, named: name) }
        case .childProcess(let executable):
            do {
                return try await Self.sheet(of: bytes, source: source, named: name, executable: executable)
            } catch let stop as ReaderStopped {
                onStop?("careledger: the workbook reader (\(executable) workbook-sheet) ended without an answer: \(stop.refusal.rule)")
                throw stop.refusal
            }
        }
    }

    /// A child that ended without an answer, and what the request is told.
    private struct ReaderStopped: Error {
        let refusal: LedgerError
    }

    private static func sheet(of bytes: [UInt8], source: String, named name: String?, executable: String) async throws -> Workbook.Sheet {
        let arguments = ["workbook-sheet", "--source", source] + (name.map { ["--sheet", $0] } ?? [])
        let outcome: ExecutionResult<[UInt8]?, SequenceOutput, FileDescriptorOutput>
        do {
            // Its standard error is the server's: what a crash says there is for the operator.
            outcome = try await run(
                .path(FilePath(executable)), arguments: Arguments(arguments),
                environment: .inherit.updating(["SWIFT_BACKTRACE": "enable=no"]),
                input: .array(bytes), output: .sequence, error: .currentStandardError
            ) { execution in
                var message: [UInt8] = []
                for try await buffer in execution.standardOutput {
                    buffer.withUnsafeBytes { message.append(contentsOf: $0) }
                    guard message.count <= largestMessage else {
                        try? execution.send(signal: .kill)
                        return nil
                    }
                }
                return message
            }
        } catch let error as SubprocessError where error.code == .failedToWriteToSubprocess {
            throw ReaderStopped(refusal: LedgerError(.rejected, "\(source) could not be read: its reader stopped before taking it whole\(retry)"))
        } catch let error as SubprocessError {
            throw ReaderStopped(refusal: LedgerError(.unavailable, "the server could not start the reader of workbooks (\(executable) workbook-sheet: \(error)); nothing was written"))
        }
        guard case .exited(0) = outcome.terminationStatus, let message = outcome.closureResult else {
            throw ReaderStopped(refusal: stopped(outcome.terminationStatus, source: source, answered: outcome.closureResult != nil))
        }
        do {
            return try SheetMessage.sheet(from: message)
        } catch let unreadable as SheetMessage.Unreadable {
            throw ReaderStopped(refusal: LedgerError(.rejected, "\(source) could not be read: its reader's answer was \(unreadable.reason)\(retry)"))
        }
    }

    /// Why a child that ended without a whole answer did, in words a person sending the file
    /// can act on.
    private static func stopped(_ status: TerminationStatus, source: String, answered: Bool) -> LedgerError {
        guard answered else {
            return LedgerError(.rejected, "\(source) could not be read: its rows run past \(byteSize(largestMessage)) once read; record it in parts; nothing was written")
        }
        switch status {
        case .signaled(SIGXCPU), .signaled(SIGKILL):
            return LedgerError(.rejected, "\(source) could not be read: its reader was stopped after \(Limits.cpuSeconds) s of work or at \(byteSize(Limits.addressSpace)) of memory, which no return needs; save it again from the spreadsheet program, or send it as CSV; nothing was written")
        case .signaled(let signal):
            return LedgerError(.rejected, "\(source) could not be read: its reader stopped on it (signal \(signal), \(String(cString: strsignal(signal)))), as it does on a damaged file\(retry)")
        case .exited(let code):
            return LedgerError(.rejected, "\(source) could not be read: its reader ended with status \(code) and no answer\(retry)")
        }
    }

    private static let retry = "; save it again from the spreadsheet program, or send it as CSV; nothing was written"

    /// The most a reader's answer may be: far more than the most text a sheet holds
    /// (``Workbook``'s part limit, 256 MiB), each character escaped.
    static let largestMessage = 2 << 30

    /// What `careledger workbook-sheet` allows itself, set as it starts: a workbook is read in
    /// seconds, and one that needs more is made to exhaust the machine.
    public enum Limits {
        /// Its CPU time, after which the kernel stops it (`SIGXCPU`).
        public static let cpuSeconds = 300
        /// Its address space: ten times the 760 MB the largest sheets measured took to read
        /// (twenty million shared strings), and a third of this kind of machine's memory.
        public static let addressSpace = 8 << 30

        /// Sets them on this process, with no core file: a crash leaves nothing in the
        /// server's working folder.
        public static func apply() {
            set(RLIMIT_CPU, soft: cpuSeconds, hard: cpuSeconds + 10)
            set(RLIMIT_AS, soft: addressSpace, hard: addressSpace)
            set(RLIMIT_CORE, soft: 0, hard: 0)
        }

        private static func set(_ resource: __rlimit_resource, soft: Int, hard: Int) {
            var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
            _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
        }
    }
}
