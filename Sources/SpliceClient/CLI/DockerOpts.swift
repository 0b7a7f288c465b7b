#if canImport(Glibc)
import Glibc
#endif
import SystemKit

/// The docker CLI's flag-value validators (`opts/*.go`), with docker's wording; each returns the value to send.
public enum DockerOpts {
    /// A validator's failure reason (without the `invalid argument ... flag:` prefix).
    public struct Failure: Error, Equatable {
        /// The reason, as docker words it.
        public var reason: String
        /// Creates a failure.
        public init(_ reason: String) { self.reason = reason }
    }

    /// Whether `text` is an IPv4 or IPv6 address (Go's `net.ParseIP`).
    public static func isIPAddress(_ text: String) -> Bool { IPAddress(text) != nil }

    /// `opts.ValidateIPAddress` (`--dns`).
    public static func ipAddress(_ value: String) throws(Failure) -> String {
        let trimmed = Substring(value).trimmingSpaces
        guard isIPAddress(trimmed) else { throw Failure("IP address is not correctly formatted: \(value)") }
        return trimmed
    }

    /// `opts.ValidateExtraHost` (`--add-host host:ip`, `host=ip`, `host:host-gateway`), sent as `host:ip`.
    public static func extraHost(_ value: String) throws(Failure) -> String {
        var parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count != 2 { parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false) }
        guard parts.count == 2, !parts[0].isEmpty else { throw Failure("bad format for add-host: \"\(value)\"") }
        var address = String(parts[1])
        if address.count > 1, address.hasPrefix("["), address.hasSuffix("]") {
            address = String(address.dropFirst().dropLast())
        }
        guard address == "host-gateway" || isIPAddress(address) else {
            throw Failure("invalid IP address in add-host: \"\(address)\"")
        }
        return "\(parts[0]):\(address)"
    }

    /// `opts.ValidateDNSSearch`: a domain name or `.`.
    public static func dnsSearch(_ value: String) throws(Failure) -> String {
        if value == "." { return value }
        var name = Substring(value)
        if name.hasSuffix(".") { name = name.dropLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !name.isEmpty && name.count <= 255 && labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        guard valid else { throw Failure("\(value) is not a valid domain") }
        return value
    }

    /// `opts.ValidateLink`: `name` or `name:alias`.
    public static func link(_ value: String) throws(Failure) -> String {
        guard !value.isEmpty else { throw Failure("empty string specified for links") }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { throw Failure("bad format for links: \(value)") }
        return value
    }

    /// `opts.ValidateLabel`: `key[=value]` with a non-empty key.
    public static func label(_ value: String) throws(Failure) -> String {
        let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = parts[0].trimmingSpaces
        guard !key.isEmpty else { throw Failure("invalid label '\(value)': empty name") }
        return key + "=" + (parts.count == 2 ? String(parts[1]) : "")
    }

    /// `-a/--attach`: one of stdin, stdout, stderr (any case), lowercased.
    public static func attachStream(_ value: String) throws(Failure) -> String {
        let lower = value.lowercased()
        guard ["stdin", "stdout", "stderr"].contains(lower) else {
            throw Failure("valid streams are STDIN, STDOUT and STDERR")
        }
        return lower
    }

    /// go-units `RAMInBytes`: `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`, binary multiples.
    public static func ramInBytes(_ value: String) throws(Failure) -> Int64 {
        var rest = Substring(value)
        var number = ""
        while let first = rest.first, first.isASCII, first.isNumber || first == "." {
            number.append(first)
            rest = rest.dropFirst()
        }
        if rest.first == " " { rest = rest.dropFirst() }
        var multiplier: Int64 = 1
        if let unit = rest.first?.lowercased(), let shift = ["k": 10, "m": 20, "g": 30, "t": 40, "p": 50][unit] {
            multiplier = 1 << Int64(shift)
            rest = rest.dropFirst()
        }
        if rest.first == "i" || rest.first == "I" { rest = rest.dropFirst() }
        if rest.first == "b" || rest.first == "B" { rest = rest.dropFirst() }
        let wellFormed = !number.isEmpty && number.first != "." && number.last != "." && !number.contains("..")
        guard rest.isEmpty, wellFormed, let amount = Double(number) else { throw Failure("invalid size: '\(value)'") }
        // Checked: a size beyond Int64 is an error, not a trap.
        guard let bytes = Int64(exactly: (amount * Double(multiplier)).rounded(.towardZero)),
              bytes < Int64.max else {
            throw Failure("invalid size: '\(value)': value out of range")
        }
        return bytes
    }

    /// `opts.NanoCPUs` (`--cpus 1.5` → 1500000000): a decimal number of CPUs, at most nine fraction digits, within
    /// `Int64` nanoseconds.
    public static func nanoCPUs(_ value: String) throws(Failure) -> Int64 {
        let invalid = Failure("failed to parse \(value) as a rational number")
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (text: Substring) in text.allSatisfy { $0.isASCII && $0.isNumber } }
        guard let whole = parts.first, digits(whole), parts.count == 1 || digits(parts[1]),
              !(whole.isEmpty && (parts.count == 1 || parts[1].isEmpty)) else { throw invalid }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.dropFirst(9).allSatisfy({ $0 == "0" }) else { throw Failure("value is too precise") }
        var nanos: Int64 = 0
        for digit in fraction.prefix(9) { nanos = nanos * 10 + Int64(digit.wholeNumberValue ?? 0) }
        for _ in min(fraction.count, 9)..<9 { nanos *= 10 }
        guard let seconds = whole.isEmpty ? 0 : Int64(whole) else { throw invalid }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = scaled.addingReportingOverflow(nanos)
        guard !overflow, !carry else { throw Failure("value is too large") }
        return total
    }

    /// Go's `strconv.ParseInt(value, 10, 64)` error wording.
    public static func int64(_ value: String) throws(Failure) -> Int64 {
        guard let number = Int64(value) else {
            let digits = !value.isEmpty && value.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber)
            let reason = digits ? "value out of range" : "invalid syntax"
            throw Failure("strconv.ParseInt: parsing \"\(value)\": " + reason)
        }
        return number
    }

    /// Go's `strconv.ParseUint(value, 10, 16)` error wording (`--blkio-weight`).
    public static func uint16(_ value: String) throws(Failure) -> Int {
        guard let number = UInt64(value) else {
            let digits = !value.isEmpty && value.allSatisfy(\.isNumber)
            let reason = digits ? "value out of range" : "invalid syntax"
            throw Failure("strconv.ParseUint: parsing \"\(value)\": " + reason)
        }
        guard number <= UInt64(UInt16.max) else {
            throw Failure("strconv.ParseUint: parsing \"\(value)\": value out of range")
        }
        return Int(number)
    }

    /// `opts.ParseRestartPolicy` plus the API's `ValidateRestartPolicy`, as docker words both.
    public static func restartPolicy(_ value: String) throws(Failure) -> (name: String, retries: Int) {
        guard !value.isEmpty else { return ("no", 0) }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        if parts.count == 2, name.isEmpty {
            throw Failure("invalid restart policy format: no policy provided before colon")
        }
        var retries = 0
        if parts.count == 2, !parts[1].isEmpty {
            guard let count = Int(parts[1]) else {
                throw Failure("invalid restart policy format: maximum retry count must be an integer")
            }
            retries = count
        }
        switch name {
        case "no", "always", "unless-stopped":
            if retries != 0 {
                throw Failure("invalid restart policy: maximum retry count can only be used with 'on-failure'")
            }
        case "on-failure":
            if retries < 0 { throw Failure("invalid restart policy: maximum retry count cannot be negative") }
        default:
            throw Failure("invalid restart policy: unknown policy '\(name)'; use one of 'no', 'always', "
                + "'on-failure', or 'unless-stopped'")
        }
        return (name, retries)
    }

    /// `opts.NormalizeCapability`: upper case with a `CAP_` prefix, `ALL` as is.
    public static func capability(_ value: String) -> String {
        let upper = Substring(value).trimmingSpaces.uppercased()
        return upper == "ALL" || upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
    }

    /// `opts.EffectiveCapAddCapDrop`: normalised, de-duplicated, sorted; `ALL` trumps the rest of its list and a
    /// capability both added and dropped is added.
    public static func effectiveCapabilities(add: [String], drop: [String]) -> (add: [String]?, drop: [String]?) {
        var added = Set(add.map(capability))
        var dropped = Set(drop.map(capability))
        if added.contains("ALL") { added = ["ALL"] }
        if dropped.contains("ALL") { dropped = ["ALL"] }
        dropped.subtract(added)
        return (added.isEmpty ? nil : added.sorted(), dropped.isEmpty ? nil : dropped.sorted())
    }

    private static func validDeviceMode(_ mode: Substring) -> Bool {
        guard !mode.isEmpty, mode.count <= 3 else { return false }
        var seen: Set<Character> = []
        for character in mode {
            guard "rwm".contains(character), seen.insert(character).inserted else { return false }
        }
        return true
    }

    /// `--device HOST[:CONTAINER][:PERMISSIONS]` as the CLI parses it for a Linux daemon.
    public static func device(_ value: String) throws(Failure)
        -> (host: String, container: String, permissions: String) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), !parts[0].isEmpty else {
            throw Failure("invalid device specification: \(value)")
        }
        var container = ""
        var permissions = "rwm"
        if parts.count == 3 {
            guard validDeviceMode(parts[2]) else { throw Failure("invalid device mode: \(parts[2])") }
            permissions = String(parts[2])
            container = String(parts[1])
        } else if parts.count == 2 {
            if validDeviceMode(parts[1]) { permissions = String(parts[1]) } else { container = String(parts[1]) }
        }
        if container.isEmpty { container = String(parts[0]) }
        guard container.hasPrefix("/") else { throw Failure("\(container) is not an absolute path") }
        return (String(parts[0]), container, permissions)
    }

    /// `nat.ParsePortRange` for `--expose`: `port[-port][/proto]`, returning each `port/proto` key.
    public static func exposedPorts(_ value: String) throws(Failure) -> [String] {
        var text = Substring(value)
        var proto = "tcp"
        if let slash = text.lastIndex(of: "/") {
            proto = text[text.index(after: slash)...].lowercased()
            text = text[..<slash]
        }
        let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for bound in bounds {
            guard let port = UInt64(bound), port <= 65535 else {
                let reason = "strconv.ParseUint: parsing \"\(bound)\": "
                    + (!bound.isEmpty && bound.allSatisfy(\.isNumber) ? "value out of range" : "invalid syntax")
                throw Failure("invalid range format for --expose: \(value), error: \(reason)")
            }
            numbers.append(Int(port))
        }
        let low = numbers[0]
        let high = numbers.count == 2 ? numbers[1] : low
        guard high >= low else {
            throw Failure("invalid range format for --expose: \(value), error: invalid range specified")
        }
        return (low...high).map { "\($0)/\(proto)" }
    }

    /// Go's `net.ParseMAC` for 6-byte addresses written with `:` or `-`.
    public static func isMACAddress(_ value: String) -> Bool {
        for separator in [":", "-"] as [Character] {
            let parts = value.split(separator: separator, omittingEmptySubsequences: false)
            if parts.count == 6, parts.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) { return true }
        }
        return false
    }

    /// The `--security-opt` list as the CLI sends it; `seccomp=FILE` carries the file's compacted JSON.
    public static func securityOptions(_ values: [String], readFile: (String) throws(Failure) -> [UInt8])
        throws(Failure) -> [String] {
        var result: [String] = []
        for option in values {
            var parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count != 2, parts[0] != "no-new-privileges" {
                parts = option.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            }
            let key = parts[0]
            if (parts.count != 2 || parts[1].isEmpty) && key != "no-new-privileges" {
                throw Failure("Invalid --security-opt: \"\(option)\"")
            }
            if key == "seccomp", parts.count == 2, parts[1] != "unconfined", parts[1] != "builtin" {
                let file = String(parts[1])
                let bytes = try readFile(file)
                do {
                    _ = try JSONValue.parse(bytes)
                } catch {
                    throw Failure("compacting json for seccomp profile (\(file)) failed: invalid JSON")
                }
                result.append("seccomp=" + String(decoding: compactJSON(bytes), as: UTF8.self))
            } else {
                result.append(option)
            }
        }
        return result
    }

    /// Go's `json.Compact`: drops insignificant whitespace and keeps string literals byte for byte.
    public static func compactJSON(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\""): inString = true
            default: break
            }
            out.append(byte)
        }
        return out
    }

    /// `opts.ParseEnvFile`/`ReadKVStrings` line rules: skip blanks and comments; `KEY` alone takes the value from
    /// `lookup` (dropped when unset); whitespace in a name is an error.
    public static func keyValueLines(_ text: String, file: String, lookup: ((String) -> String?)?) throws(Failure)
        -> [String] {
        var lines: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            if name.contains(where: { $0 == " " || $0 == "\t" }) {
                throw Failure("variable '\(name)' contains whitespaces")
            }
            if name.isEmpty { throw Failure("no variable name on line '\(trimmed)' (\(file):\(number + 1))") }
            if parts.count == 2 {
                lines.append(String(trimmed))
            } else if let lookup {
                if let value = lookup(name) { lines.append(name + "=" + value) }
            } else {
                lines.append(name)
            }
        }
        return lines
    }

    /// Reads a whole file; failures worded as Go's `open FILE: <strerror>`.
    public static func readFile(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("open \(path): \(errnoText(errno))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw Failure("read \(path): \(errnoText(errno))") }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// `strerror` in Go's lower-case form (`no such file or directory`).
    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text).lowercased()
    }
}
