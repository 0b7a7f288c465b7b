import FuzzTargets
import Glibc

/// libFuzzer's entry: the target named by `SPLICE_FUZZ_TARGET` (see `FuzzTarget`), read once.
/// Built only by benchmarks/fuzz.sh: `swift build --product splice-fuzz -Xswiftc -sanitize=fuzzer,address
/// -Xswiftc -parse-as-library`.
let selected: FuzzTarget? = getenv("SPLICE_FUZZ_TARGET").flatMap { FuzzTarget(rawValue: String(cString: $0)) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = selected else {
        let message = "set SPLICE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    target.run(bytes)
    return 0
}
