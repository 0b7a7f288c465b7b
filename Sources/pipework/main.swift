import Glibc
import NetlinkKit
import SplicePipework
import SystemKit

/// `pipework`: parse, act, and report errors on stderr with exit status 1.
func fail(_ message: String) -> Never {
    printError("pipework: \(message)")
    exit(1)
}

/// Writes a line to standard error.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let command: PipeworkCommand
do {
    command = try PipeworkParser.parse(arguments)
} catch {
    printError("pipework: \(error)\nTry 'pipework --help' for the syntax.")
    exit(1)
}

do {
    switch command {
    case .help:
        print(PipeworkParser.usage)
    case .attach(let request):
        let guest = try GuestResolver().resolve(request.guest)
        let attacher = try PipeworkAttacher()
        try attacher.removeAbandoned()
        let result = try attacher.attach(request, guest: guest)
        if case .dhcp(let dhcp) = request.addressing, (try? DHCPClientSettings(dhcp))?.foreground == true {
            try attacher.keepRenewing(result, request: dhcp, guest: guest)
        }
    case .detach(let guestReference, let interface):
        let guest = try GuestResolver().resolve(guestReference)
        try PipeworkAttacher().detach(interface: interface, guest: guest, guestLabel: guestReference.description)
    case .list:
        try PipeworkListing.print(try PipeworkAttacher())
    case .cleanup:
        for line in try PipeworkAttacher().removeAbandoned() { print(line) }
    case .batch(let path):
        let attacher = try PipeworkAttacher()
        try attacher.removeAbandoned()
        let report = try PipeworkBatch(attacher: attacher, resolver: GuestResolver()).run(path: path)
        if let failure = report.failure { fail(failure) }
    case .passthrough(let tool, let guestReference, let passthroughArguments):
        let guest = try GuestResolver().resolve(guestReference)
        try PipeworkPassthrough.exec(tool, arguments: passthroughArguments, in: guest)
    case .wait(let interface):
        try await PipeworkWait.untilReady(interface)
    }
} catch {
    fail(PipeworkError(wrapping: error).message)
}
