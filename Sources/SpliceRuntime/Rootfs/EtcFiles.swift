/// The `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf` a container gets, rendered as Docker renders them.
public enum EtcFiles {
    /// `/etc/hostname`: the name and a newline.
    public static func hostname(_ name: String) -> String { name + "\n" }

    /// `/etc/hosts`: Docker's standard lines, then `entries`.
    public static func hosts(_ entries: [HostsEntry]) -> String {
        var text = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters

            """
        for entry in entries { text += "\(entry.address)\t\(entry.names.joined(separator: " "))\n" }
        return text
    }

    /// `/etc/resolv.conf` from `dns`.
    public static func resolvConf(_ dns: DNSConfig) -> String {
        var text = ""
        for server in dns.nameservers { text += "nameserver \(server)\n" }
        if !dns.searches.isEmpty { text += "search \(dns.searches.joined(separator: " "))\n" }
        if !dns.options.isEmpty { text += "options \(dns.options.joined(separator: " "))\n" }
        return text
    }

    /// Parses resolv.conf text (the host's) into a configuration: the last `search`/`domain` line wins, as in
    /// glibc; with `dropLoopback` resolvers on 127.0.0.0/8 and ::1 are left out (they are unreachable from a
    /// container's own network namespace) and, when none is left, Docker's fallbacks 8.8.8.8 and 8.8.4.4 are used.
    public static func parseResolvConf(_ text: String, dropLoopback: Bool) -> DNSConfig {
        var config = DNSConfig()
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            let values = Array(fields.dropFirst())
            switch keyword {
            case "nameserver":
                guard let server = values.first else { continue }
                if dropLoopback && isLoopback(server) { continue }
                config.nameservers.append(server)
            case "search", "domain":
                config.searches = values
            case "options":
                config.options += values
            default:
                continue
            }
        }
        if dropLoopback && config.nameservers.isEmpty {
            config.nameservers = ["8.8.8.8", "8.8.4.4"]
        }
        return config
    }

    /// Whether a resolver address is on the loopback (127.0.0.0/8 or ::1).
    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "0:0:0:0:0:0:0:1"
    }
}
