/// The DHCP client settings pipework users write as `dhcp:OPTS` (udhcpc's spelling).
public struct DHCPClientSettings: Sendable, Equatable {
    /// `-x hostname:NAME`: the host name sent in option 12.
    public var hostname: String?
    /// `-t N`: how many times each message is sent at most; nil sends until the timeout.
    public var attempts: Int?
    /// `-T N`: how many seconds each exchange (DISCOVER→OFFER, REQUEST→ACK) waits in total before giving up.
    /// Unlike udhcpc, where `-T` is the pause between packets, retransmissions back off within this time.
    public var timeoutSeconds: Int
    /// `-f`, or the `udhcpc-f` spelling: stay in the foreground and keep renewing.
    public var foreground: Bool

    /// The timeout when `-T` is not given.
    public static let defaultTimeoutSeconds = 10

    /// Creates settings directly.
    public init(hostname: String? = nil, attempts: Int? = nil, timeoutSeconds: Int = defaultTimeoutSeconds,
                foreground: Bool = false)
    {
        self.hostname = hostname
        self.attempts = attempts
        self.timeoutSeconds = timeoutSeconds
        self.foreground = foreground
    }

    /// Parses a pipework `DHCPRequest`: its OPTS, plus the foreground flag of the `udhcpc-f` spelling.
    public init(_ request: DHCPRequest) throws(DHCPError) {
        try self.init(parsing: request.options, foreground: request.foreground)
    }

    /// Parses OPTS words: `-x hostname:NAME`, `-t N`, `-T N` (values may also be attached, as in `-t5`) and `-f`.
    /// Anything else is an error that names the option.
    public init(parsing options: [String], foreground: Bool = false) throws(DHCPError) {
        self.init(foreground: foreground)
        var words = options.filter { !$0.isEmpty }.makeIterator()
        while let word = words.next() {
            guard word.hasPrefix("-"), word.count >= 2 else { throw .unknownOption(word) }
            let flag = String(word.prefix(2))
            let attached = word.count > 2 ? String(word.dropFirst(2)) : nil
            switch flag {
            case "-f" where attached == nil:
                self.foreground = true
            case "-x":
                let value = try Self.value(for: flag, attached: attached, from: &words)
                guard value.hasPrefix("hostname:") else {
                    throw .invalidOption(flag, value: value, reason: "only -x hostname:NAME is supported")
                }
                let name = String(value.dropFirst("hostname:".count))
                guard !name.isEmpty, name.utf8.count <= DHCPMessage.maximumOptionLength else {
                    throw .invalidOption(flag, value: value, reason: "the host name must have 1 to 255 bytes")
                }
                hostname = name
            case "-t":
                attempts = try Self.count(for: flag, attached: attached, from: &words, range: 1...100)
            case "-T":
                timeoutSeconds = try Self.count(for: flag, attached: attached, from: &words, range: 1...3600)
            default:
                throw .unknownOption(word)
            }
        }
    }

    private static func value(for flag: String, attached: String?, from words: inout IndexingIterator<[String]>)
        throws(DHCPError) -> String
    {
        if let attached { return attached }
        guard let next = words.next() else { throw .invalidOption(flag, value: nil, reason: "needs a value") }
        return next
    }

    private static func count(
        for flag: String, attached: String?, from words: inout IndexingIterator<[String]>, range: ClosedRange<Int>
    ) throws(DHCPError) -> Int {
        let text = try value(for: flag, attached: attached, from: &words)
        guard text.allSatisfy(\.isASCII), let number = Int(text), !text.hasPrefix("+"), range.contains(number) else {
            throw .invalidOption(flag, value: text,
                                 reason: "needs a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
