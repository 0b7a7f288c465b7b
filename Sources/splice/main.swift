import SpliceClient

#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
// `splice lab ...` runs the lab runner, `splice-lab` beside this executable (it links Yams and so full
// Foundation, which splice itself keeps out).
if arguments.first == "lab" {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let own = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    let directory = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let lab = directory + "/splice-lab"
    let argv = [lab] + arguments.dropFirst()
    var cArguments = argv.map { strdup($0) }
    cArguments.append(nil)
    execv(lab, &cArguments)
    let message = Array("splice: cannot run \(lab): \(String(cString: strerror(errno)))\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(127)
}
exit(SpliceCLI.main(arguments))
