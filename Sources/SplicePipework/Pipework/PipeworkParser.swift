import NetlinkKit

/// Reads the classic `pipework` grammar (plus Splice's `--detach`, `--list`, `--batch`) into a `PipeworkCommand`.
///
/// Options may come anywhere before the positional arguments end, in any order; `--` ends them. Everything after
/// `route|rule|tc GUEST` is passed through verbatim. Every mistake is a `PipeworkUsageError` naming the argument.
public enum PipeworkParser {
    /// The guest interface name when `-i` is absent.
    public static let defaultGuestInterface = "eth1"

    /// The DHCP spellings of ADDR, as classic pipework accepts them. A `-f` suffix means "stay in the foreground".
    public static let dhcpClients = ["dhcp", "udhcpc", "udhcpc-f", "dhclient", "dhclient-f", "dhcpcd"]

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(PipeworkUsageError) -> PipeworkCommand {
        if let first = arguments.first, let tool = PassthroughTool(rawValue: first) {
            return try passthrough(tool, arguments.dropFirst())
        }
        if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
            return .help
        }
        let scan = try OptionScan(arguments)
        switch scan.mode {
        case nil: return .attach(try attachment(scan))
        case "--wait"?:
            try scan.reject(["-l", "-a", "--direct-phys"], with: "--wait")
            try scan.expectPositionals(0, after: "--wait takes only -i")
            guard let name = scan.guestInterface else { return .wait(interface: defaultGuestInterface) }
            return .wait(interface: try interfaceName(name, role: "-i"))
        case "--detach"?:
            try scan.reject(["-l", "-a", "--direct-phys"], with: "--detach")
            guard let guestWord = scan.positionals.first else {
                throw PipeworkUsageError("--detach needs GUEST: pipework --detach GUEST -i GUESTIF")
            }
            try scan.expectPositionals(1, after: "--detach takes one GUEST")
            let guest = try guestReference(guestWord)
            guard let name = scan.guestInterface else {
                throw PipeworkUsageError(
                    "--detach needs -i GUESTIF: the interface to remove from \(guestWord)", argument: "--detach")
            }
            return .detach(guest: guest, interface: try interfaceName(name, role: "-i"))
        case "--list"?:
            try scan.reject(["-i", "-l", "-a", "--direct-phys"], with: "--list")
            try scan.expectPositionals(0, after: "--list takes no arguments")
            return .list
        case "--cleanup"?:
            try scan.reject(["-i", "-l", "-a", "--direct-phys"], with: "--cleanup")
            try scan.expectPositionals(0, after: "--cleanup takes no arguments")
            return .cleanup
        default:
            try scan.reject(["-i", "-l", "-a", "--direct-phys"], with: "--batch")
            try scan.expectPositionals(0, after: "--batch takes only FILE")
            guard let path = scan.batchPath else {
                throw PipeworkUsageError("--batch needs a FILE, or - for standard input", argument: "--batch")
            }
            return .batch(path: path)
        }
    }

    /// Parses one line of a --batch file (same grammar as an attach, `#` comments and blank lines → nil).
    ///
    /// Words split as a shell splits them: on blanks, with '…' and "…" quoting and `\` escapes, so a DHCP form with
    /// options reads `br0 web 'udhcpc:-x hostname:web'`. A `#` that starts a word starts a comment.
    public static func parseBatchLine(_ line: String) throws(PipeworkUsageError) -> PipeworkAttachment? {
        let words = try shellWords(line)
        guard let first = words.first else { return nil }
        if PassthroughTool(rawValue: first) != nil {
            throw PipeworkUsageError(
                "a batch line attaches one interface; \"\(first)\" commands are not allowed here", argument: first)
        }
        for word in words.prefix(while: { $0 != "--" }) where OptionScan.modeOptions.contains(optionName(word)) {
            throw PipeworkUsageError(
                "a batch line attaches one interface; \(optionName(word)) is not allowed here", argument: word)
        }
        guard case .attach(let attachment) = try parse(words) else {
            throw PipeworkUsageError("a batch line must be HOSTIF [options] GUEST ADDR [MAC][@VLAN]", argument: line)
        }
        return attachment
    }
}

// MARK: - Options

extension PipeworkParser {
    /// The command line with options taken out and checked, positional arguments kept in order.
    private struct OptionScan {
        /// Options that select a command other than attach.
        static let modeOptions: Set<String> = ["--wait", "--detach", "--list", "--cleanup", "--batch", "--help", "-h"]

        var positionals: [String] = []
        /// Each option given, with its value (empty for flags), in order.
        var given: [(option: String, value: String)] = []
        var guestInterface: String?
        var localInterface: String?
        var family: AddressFamily?
        var directPhysical = false
        var batchPath: String?
        /// `--wait`, `--detach`, `--list` or `--batch`, or nil for an attach.
        var mode: String?

        init(_ arguments: [String]) throws(PipeworkUsageError) {
            var index = arguments.startIndex
            var optionsEnded = false
            while index < arguments.endIndex {
                let word = arguments[index]
                index += 1
                if optionsEnded || !word.hasPrefix("-") || word == "-" {
                    positionals.append(word)
                    continue
                }
                if word == "--" {
                    optionsEnded = true
                    continue
                }
                let name = PipeworkParser.optionName(word)
                let inline: String? = name == word ? nil : String(word.dropFirst(name.count + 1))
                switch name {
                case "--wait", "--detach", "--list", "--cleanup", "--direct-phys":
                    if let inline {
                        throw PipeworkUsageError("\(name) takes no value (got \"\(inline)\")", argument: word)
                    }
                    if name == "--direct-phys" { directPhysical = true } else { try select(mode: name) }
                    given.append((name, ""))
                case "--batch", "-i", "-l", "-a":
                    let value: String
                    if let inline {
                        value = inline
                    } else if index < arguments.endIndex, !Self.looksLikeOption(arguments[index]) {
                        value = arguments[index]
                        index += 1
                    } else {
                        throw PipeworkUsageError(
                            "option \(name) needs a value: \(Self.valueName(name))", argument: word)
                    }
                    if let earlier = given.first(where: { $0.option == name }) {
                        throw PipeworkUsageError(
                            "option \(name) given twice (\"\(earlier.value)\" and \"\(value)\")", argument: word)
                    }
                    given.append((name, value))
                    try store(value, for: name)
                default:
                    throw PipeworkUsageError("unknown option \"\(word)\"", argument: word)
                }
            }
        }

        /// Whether `word` is an option rather than an option's value (`-` alone means standard input).
        private static func looksLikeOption(_ word: String) -> Bool { word.hasPrefix("-") && word != "-" }

        private static func valueName(_ option: String) -> String {
            switch option {
            case "-i": "the interface name inside the guest (-i GUESTIF)"
            case "-l": "the host-side interface name (-l LOCALIF)"
            case "-a": "the address family (-a 4 or -a 6)"
            default: "the batch file, or - for standard input (--batch FILE)"
            }
        }

        private mutating func select(mode option: String) throws(PipeworkUsageError) {
            if let mode, mode != option {
                throw PipeworkUsageError("\(option) cannot be combined with \(mode)", argument: option)
            }
            mode = option
        }

        private mutating func store(_ value: String, for option: String) throws(PipeworkUsageError) {
            switch option {
            case "-i": guestInterface = value
            case "-l": localInterface = value
            case "-a":
                switch value {
                case "4": family = .inet
                case "6": family = .inet6
                default: throw PipeworkUsageError("-a takes 4 or 6, not \"\(value)\"", argument: value)
                }
            default:
                guard !value.isEmpty else {
                    throw PipeworkUsageError("--batch needs a FILE, or - for standard input", argument: "--batch")
                }
                try select(mode: option)
                batchPath = value
            }
        }

        /// Throws if any of `options` was given, since `command` has no use for it.
        func reject(_ options: [String], with command: String) throws(PipeworkUsageError) {
            if let bad = given.first(where: { options.contains($0.option) }) {
                throw PipeworkUsageError("option \(bad.option) does not apply to \(command)", argument: bad.option)
            }
        }

        /// Throws about the first positional argument beyond `count`.
        func expectPositionals(_ count: Int, after explanation: String) throws(PipeworkUsageError) {
            if positionals.count > count {
                let extra = positionals[count]
                throw PipeworkUsageError("\(explanation); unexpected argument \"\(extra)\"", argument: extra)
            }
        }
    }

    /// `--batch=FILE` → `--batch`; any other word unchanged.
    fileprivate static func optionName(_ word: String) -> String {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return word }
        return String(word[..<equals])
    }
}

// MARK: - Commands

extension PipeworkParser {
    private static func passthrough(_ tool: PassthroughTool, _ arguments: ArraySlice<String>)
        throws(PipeworkUsageError) -> PipeworkCommand
    {
        guard let guestWord = arguments.first else {
            throw PipeworkUsageError("missing GUEST: pipework \(tool.rawValue) GUEST ARGS...", argument: nil)
        }
        if guestWord.hasPrefix("-") {
            throw PipeworkUsageError(
                "pipework \(tool.rawValue) needs GUEST before its arguments, got \"\(guestWord)\"", argument: guestWord)
        }
        let guest = try guestReference(guestWord)
        return .passthrough(tool: tool, guest: guest, arguments: Array(arguments.dropFirst()))
    }

    private static func attachment(_ scan: OptionScan) throws(PipeworkUsageError) -> PipeworkAttachment {
        let words = scan.positionals
        switch words.count {
        case 0:
            throw PipeworkUsageError("missing HOSTIF, GUEST and ADDR")
        case 1:
            throw PipeworkUsageError("missing GUEST and ADDR after HOSTIF \"\(words[0])\"")
        case 2:
            if looksLikeAddressing(words[1]) {
                throw PipeworkUsageError("missing GUEST between HOSTIF \"\(words[0])\" and ADDR \"\(words[1])\"")
            }
            throw PipeworkUsageError("missing ADDR after GUEST \"\(words[1])\"")
        default:
            try scan.expectPositionals(4, after: "MAC[@VLAN] is the last argument")
        }
        let host = try hostReference(words[0])
        var guestInterface = defaultGuestInterface
        if let name = scan.guestInterface { guestInterface = try interfaceName(name, role: "-i") }
        var localInterface: String?
        if let name = scan.localInterface { localInterface = try interfaceName(name, role: "-l") }
        let guest = try guestReference(words[1])
        let addressing = try addressing(words[2], family: scan.family)
        var mac: MACChoice?
        var vlan: UInt16?
        if words.count > 3 { (mac, vlan) = try macAndVLAN(words[3]) }
        if scan.directPhysical {
            if let vlan {
                throw PipeworkUsageError(
                    "VLAN \(vlan) cannot be used with --direct-phys: the interface itself moves into the guest, "
                        + "so there is nothing to tag", argument: words[3])
            }
            if let localInterface {
                throw PipeworkUsageError(
                    "-l \(localInterface) cannot be used with --direct-phys: there is no host-side interface, "
                        + "the interface itself moves into the guest", argument: localInterface)
            }
        }
        return PipeworkAttachment(
            host: host, guestInterface: guestInterface, localInterface: localInterface, family: scan.family,
            guest: guest, addressing: addressing, mac: mac, vlan: vlan, directPhysical: scan.directPhysical)
    }
}

// MARK: - Words

extension PipeworkParser {
    /// HOSTIF: an interface name, or `mac:HOSTMAC`.
    private static func hostReference(_ word: String) throws(PipeworkUsageError) -> HostInterfaceReference {
        guard word.hasPrefix("mac:") else { return .name(try interfaceName(word, role: "HOSTIF")) }
        let text = String(word.dropFirst(4))
        guard let mac = MACAddress(text) else {
            throw PipeworkUsageError(
                "\"\(text)\" in HOSTIF \"\(word)\" is not a MAC address (expected mac:aa:bb:cc:dd:ee:ff)",
                argument: word)
        }
        try checkUnicast(mac, in: word, role: "no host interface has")
        return .mac(mac)
    }

    /// Checks a Linux interface name as the kernel's `dev_valid_name` does: 1 to 15 bytes, not `.` or `..`,
    /// no `/`, `:` or whitespace.
    private static func interfaceName(_ name: String, role: String) throws(PipeworkUsageError) -> String {
        let what = role == "HOSTIF" ? "HOSTIF" : "\(role) interface name"
        let message: String
        switch InterfaceName.problem(with: name) {
        case nil: return name
        case .empty: message = "\(what) is empty"
        case .tooLong(let bytes): message = "\(what) \"\(name)\" is \(bytes) bytes long; Linux allows at most 15"
        case .dotName: message = "\(what) \"\(name)\" is not a valid interface name"
        case .forbiddenCharacter(let character) where character.isWhitespace:
            message = "\(what) \"\(name)\" contains whitespace"
        case .forbiddenCharacter(let character):
            let hint = character == ":" && role == "HOSTIF"
                ? " (to name a host interface by its address, write mac:HOSTMAC)" : ""
            message = "\(what) \"\(name)\" contains '\(character)', which interface names cannot\(hint)"
        }
        throw PipeworkUsageError(message, argument: name)
    }

    /// GUEST: `pid:N` or digits → PID, `/…` → path, anything else → name.
    static func guestReference(_ word: String) throws(PipeworkUsageError) -> GuestReference {
        if word.isEmpty { throw PipeworkUsageError("GUEST is empty", argument: word) }
        if word.hasPrefix("pid:") { return .pid(try pid(word.dropFirst(4), in: word)) }
        if word.utf8.allSatisfy(isDigit) { return .pid(try pid(Substring(word), in: word)) }
        if word.hasPrefix("/") { return .path(word) }
        return .name(word)
    }

    private static func pid(_ digits: Substring, in word: String) throws(PipeworkUsageError) -> Int32 {
        if digits.isEmpty { throw PipeworkUsageError("\"\(word)\" needs a PID after pid:", argument: word) }
        let unsigned = digits.hasPrefix("-") ? digits.dropFirst() : digits
        guard !unsigned.isEmpty, unsigned.utf8.allSatisfy(isDigit) else {
            throw PipeworkUsageError("\"\(digits)\" in GUEST \"\(word)\" is not a PID number", argument: word)
        }
        guard let value = Int32(digits) else {
            throw PipeworkUsageError(
                "GUEST \"\(word)\" is read as a PID but is too large for one; name a container by its name or id",
                argument: word)
        }
        guard value > 0 else {
            throw PipeworkUsageError("GUEST \"\(word)\": a PID must be a positive number", argument: word)
        }
        return value
    }

    /// ADDR: `ADDRESS/LEN[@GW]`, `0/0`, or a DHCP spelling with optional `:OPTS`.
    private static func addressing(_ word: String, family: AddressFamily?) throws(PipeworkUsageError) -> Addressing {
        if word == "0/0" { return .none }
        if let request = try dhcpRequest(word) { return .dhcp(request) }
        let parts = word.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count > 2 {
            throw PipeworkUsageError(
                "ADDR \"\(word)\" has more than one '@' (expected ADDRESS/LEN[@GATEWAY])",
                argument: word)
        }
        let networkText = parts[0]
        let gatewayText = parts.count == 2 ? parts[1] : nil
        if networkText == "0/0" {
            throw PipeworkUsageError("ADDR \"\(word)\": 0/0 means no address, so it takes no gateway", argument: word)
        }
        let slashes = networkText.split(separator: "/", omittingEmptySubsequences: false)
        guard slashes.count == 2 else {
            if slashes.count > 2 {
                throw PipeworkUsageError("ADDR \"\(word)\" has more than one '/'", argument: word)
            }
            throw noPrefixLengthError(word, address: networkText, gateway: gatewayText)
        }
        guard let address = IPAddress(String(slashes[0])) else {
            throw PipeworkUsageError(
                "\"\(slashes[0])\" in ADDR \"\(word)\" is not a valid IPv4 or IPv6 address", argument: word)
        }
        let lengthText = slashes[1]
        guard !lengthText.isEmpty, lengthText.utf8.allSatisfy(isDigit) else {
            throw PipeworkUsageError(
                "prefix length \"\(lengthText)\" in ADDR \"\(word)\" is not a number", argument: word)
        }
        guard let length = Int(lengthText), let network = IPNetwork(address: address, prefixLength: length) else {
            throw PipeworkUsageError(
                "prefix length \(lengthText) in ADDR \"\(word)\" is too long: \(familyName(address.family)) "
                    + "allows at most \(address.bitWidth)", argument: word)
        }
        if address.bytes.allSatisfy({ $0 == 0 }) {
            throw PipeworkUsageError(
                "ADDR \"\(word)\" is the unspecified address, which no interface can have; "
                    + "write 0/0 for an interface without an address", argument: word)
        }
        if let family, family != address.family {
            throw PipeworkUsageError(
                "ADDR \"\(word)\" is an \(familyName(address.family)) address, but -a \(familyFlag(family)) "
                    + "asks for \(familyName(family))", argument: word)
        }
        guard let gatewayText else { return .static(network, gateway: nil) }
        guard let gateway = IPAddress(String(gatewayText)) else {
            if gatewayText.isEmpty {
                throw PipeworkUsageError("ADDR \"\(word)\" has an empty gateway after '@'", argument: word)
            }
            let hint = gatewayText.contains("/") ? " (a gateway takes no prefix length)" : ""
            throw PipeworkUsageError(
                "gateway \"\(gatewayText)\" in ADDR \"\(word)\" is not a valid IP address\(hint)", argument: word)
        }
        if gateway.family != address.family {
            throw PipeworkUsageError(
                "gateway \(gateway) in ADDR \"\(word)\" is \(familyName(gateway.family)), but the address is "
                    + "\(familyName(address.family))", argument: word)
        }
        return .static(network, gateway: gateway)
    }

    /// The DHCP forms; nil when `word` is not one. Throws for a gateway after one, or a misspelt client.
    private static func dhcpRequest(_ word: String) throws(PipeworkUsageError) -> DHCPRequest? {
        let end = word.firstIndex(where: { $0 == ":" || $0 == "@" }) ?? word.endIndex
        let client = String(word[..<end])
        guard dhcpClients.contains(client) else {
            if isMisspeltDHCPClient(client) {
                throw PipeworkUsageError(
                    "unknown DHCP client \"\(client)\" in ADDR \"\(word)\"; use one of "
                        + dhcpClients.joined(separator: ", "), argument: word)
            }
            return nil
        }
        if end < word.endIndex, word[end] == "@" {
            throw PipeworkUsageError(
                "ADDR \"\(word)\": DHCP supplies the gateway, so \(client) takes none", argument: word)
        }
        var options: [String] = []
        if end < word.endIndex {
            options = word[word.index(after: end)...].split(whereSeparator: \.isWhitespace).map(String.init)
        }
        let foreground = client.hasSuffix("-f") || options.contains("-f")
        return DHCPRequest(client: client, foreground: foreground, options: options)
    }

    /// A word that names no DHCP client but plainly means to (`dhcpx`, `udhcp`, `dhcp6`).
    private static func isMisspeltDHCPClient(_ word: String) -> Bool {
        word.lowercased().contains("dhc")
            && word.utf8.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }
    }

    /// The error for an ADDR without `/LEN`, with pipework's "did you mean …/24?" hint where it can give one.
    private static func noPrefixLengthError(_ word: String, address: Substring, gateway: Substring?)
        -> PipeworkUsageError
    {
        guard let parsed = IPAddress(String(address)) else {
            if MACAddress(word) != nil {
                return PipeworkUsageError(
                    "ADDR \"\(word)\" looks like a MAC address; ADDR comes first: GUEST ADDR [MAC][@VLAN]",
                    argument: word)
            }
            return PipeworkUsageError(
                "ADDR \"\(word)\" is not an address; expected A.B.C.D/LEN[@GATEWAY], IPV6/LEN[@GATEWAY], 0/0, "
                    + "or a DHCP form (" + dhcpClients.joined(separator: ", ") + ")", argument: word)
        }
        let suggestion = "\(address)/\(parsed.family == .inet ? 24 : 64)" + (gateway.map { "@\($0)" } ?? "")
        return PipeworkUsageError("\"\(word)\" has no prefix length; did you mean \(suggestion)?", argument: word)
    }

    /// Whether a word is a valid ADDR, for the "missing GUEST" hint.
    private static func looksLikeAddressing(_ word: String) -> Bool { (try? addressing(word, family: nil)) != nil }

    /// The last argument: `MAC`, `U:STRING`, either followed by `@VLAN`, or `@VLAN` alone.
    private static func macAndVLAN(_ word: String) throws(PipeworkUsageError) -> (MACChoice?, UInt16?) {
        var text = Substring(word)
        var vlan: UInt16?
        if let at = word.lastIndex(of: "@") {
            vlan = try vlanID(word[word.index(after: at)...], in: word)
            text = word[..<at]
        }
        if text.isEmpty {
            guard vlan != nil else {
                throw PipeworkUsageError(
                    "the MAC argument is empty (expected MAC, U:STRING and/or @VLAN)",
                    argument: word)
            }
            return (nil, vlan)
        }
        if text.hasPrefix("U:") {
            let seed = text.dropFirst(2)
            if seed.isEmpty {
                throw PipeworkUsageError("\"\(word)\" needs a string after U: to derive the MAC from", argument: word)
            }
            return (.derived(String(seed)), vlan)
        }
        guard let mac = MACAddress(String(text)) else {
            let hint = text.hasPrefix("u:") ? "; did you mean U:\(text.dropFirst(2))?" : ""
            throw PipeworkUsageError(
                "\"\(text)\" is not a MAC address (expected aa:bb:cc:dd:ee:ff or U:STRING)\(hint)", argument: word)
        }
        try checkUnicast(mac, in: word, role: "no interface can use")
        return (.address(mac), vlan)
    }

    private static func checkUnicast(_ mac: MACAddress, in word: String, role: String) throws(PipeworkUsageError) {
        if mac.isMulticast {
            throw PipeworkUsageError(
                "MAC address \(mac) in \"\(word)\" is a multicast address (the low bit of its first byte is set); "
                    + "\(role) such an address", argument: word)
        }
        if mac.isZero {
            throw PipeworkUsageError("MAC address \(mac) in \"\(word)\" is all zeros; \(role) it", argument: word)
        }
    }

    private static func vlanID(_ text: Substring, in word: String) throws(PipeworkUsageError) -> UInt16 {
        guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else {
            throw PipeworkUsageError("VLAN \"\(text)\" in \"\(word)\" is not a number", argument: word)
        }
        guard let id = UInt16(text), (1...4094).contains(id) else {
            throw PipeworkUsageError("VLAN \(text) in \"\(word)\" is outside 1 to 4094", argument: word)
        }
        return id
    }

    private static func familyName(_ family: AddressFamily) -> String { family == .inet6 ? "IPv6" : "IPv4" }
    private static func familyFlag(_ family: AddressFamily) -> String { family == .inet6 ? "6" : "4" }
}

// MARK: - Characters

extension PipeworkParser {
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The kernel's `isspace`: space, \t, \n, \v, \f, \r.
    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || (9...13).contains(byte) }

    /// Splits a batch line into words as `sh` would: blanks separate, '…' is literal, "…" honours \" \\ \$ \`,
    /// a backslash outside quotes escapes the next character, and `#` at the start of a word begins a comment.
    private static func shellWords(_ line: String) throws(PipeworkUsageError) -> [String] {
        enum Quote { case none, single, double }
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote = Quote.none
        var escaped = false
        for character in line {
            if escaped {
                if quote == .double, !"\"\\$`".contains(character) { current.append("\\") }
                current.append(character)
                escaped = false
                continue
            }
            switch quote {
            case .single:
                if character == "'" { quote = .none } else { current.append(character) }
            case .double:
                if character == "\"" {
                    quote = .none
                } else if character == "\\" {
                    escaped = true
                } else {
                    current.append(character)
                }
            case .none:
                if character.isWhitespace {
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                    continue
                }
                if character == "#", !inWord { return words }
                inWord = true
                switch character {
                case "'": quote = .single
                case "\"": quote = .double
                case "\\": escaped = true
                default: current.append(character)
                }
            }
        }
        if quote != .none || escaped {
            let what = escaped && quote == .none ? "ends with a lone backslash" : "has an unterminated quote"
            throw PipeworkUsageError("batch line \"\(line)\" \(what)", argument: line)
        }
        if inWord { words.append(current) }
        return words
    }
}
