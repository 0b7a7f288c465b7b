/// The embedded resolver's names, indexed once per change (`setMembers`) so that a query costs two dictionary
/// lookups per network of the asking container, whatever the number of containers: which networks a container is
/// on, and per network every name, short id, alias and `<name>.<network>` to its member (the first member listed
/// wins, as a linear scan would pick it).
struct DNSNameTable: Sendable {
    private var networks: [String: [String]] = [:]
    private var names: [String: [String: EmbeddedResolver.Member]] = [:]

    /// Indexes `members`.
    init(_ members: [EmbeddedResolver.Member] = []) {
        for member in members {
            if !(networks[member.container]?.contains(member.network) ?? false) {
                networks[member.container, default: []].append(member.network)
            }
            let suffix = "." + member.network.lowercased()
            var table = names[member.network] ?? [:]
            for name in member.names {
                if table[name] == nil { table[name] = member }
                if table[name + suffix] == nil { table[name + suffix] = member }
            }
            names[member.network] = table
        }
    }

    /// The member `name` (lower-cased) stands for, as `container` sees it: on the first network of `container`
    /// that has it.
    func member(named name: String, from container: String) -> EmbeddedResolver.Member? {
        for network in networks[container] ?? [] {
            if let member = names[network]?[name] { return member }
        }
        return nil
    }
}
