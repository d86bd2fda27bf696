#if canImport(Glibc)
import Glibc
#endif

// careledger-fuzz: libFuzzer over the readers of untrusted bytes. Built by Tools/fuzz/run.sh in a
// scratch copy of the package, never by the package itself (its flags are the fuzzer's).

/// The harness `CARELEDGER_FUZZ` names: one input, whatever its bytes, must not stop the process.
let harness: @Sendable ([UInt8]) -> Void = {
    let name = getenv("CARELEDGER_FUZZ").map { String(cString: $0) } ?? ""
    switch name {
    case "events": return EventsHarness.run
    case "rows": return RowsHarness.run
    case "multipart": return MultipartHarness.run
    case "json": return JSONHarness.run
    case "pack": return PackHarness.run
    default: fatalError("CARELEDGER_FUZZ must be events, rows, multipart, json or pack, not \"\(name)\"")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    harness(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// SwiftPM links an executable's `main` under this name; libFuzzer's driver runs from it.
@_cdecl("careledger_fuzz_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments) { testOneInput($0, $1) }
}
