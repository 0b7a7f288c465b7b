import FuzzTargets
import Glibc

// libFuzzer's harness for the target named by `SPLICE_FUZZ_TARGET` (see `FuzzTarget`). Built only by
// benchmarks/fuzz.sh: `swift build --product splice-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSPLICE_FUZZ`.
// SwiftPM gives an executable its own entry point, which keeps libFuzzer's `main` out of the link, so this top-level
// code starts libFuzzer's driver itself (LLVMFuzzerRunDriver).

/// The target, read once.
let selected: FuzzTarget? = getenv("SPLICE_FUZZ_TARGET").flatMap { FuzzTarget(rawValue: String(cString: $0)) }

/// libFuzzer's per-input callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected?.run(bytes)
    return 0
}

func fail(_ message: String) -> Never {
    _ = (message + "\n").withCString { write(2, $0, strlen($0)) }
    exit(2)
}

guard selected != nil else {
    fail("set SPLICE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
}
#if SPLICE_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<Int32>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv, fuzzOneInput))
#else
fail("splice-fuzz was built without libFuzzer: run benchmarks/fuzz.sh")
#endif
