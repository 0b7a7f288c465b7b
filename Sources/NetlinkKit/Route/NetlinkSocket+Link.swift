import CLinuxShims
import SystemKit

extension NetlinkSocket {
    /// Creates an interface. Equivalent to `ip link add name <name> type <kind> ...`.
    public func addLink(_ spec: LinkSpec) throws(NetlinkError) {
        let operation = "create \(spec.kind.kindName) \"\(spec.name)\""
        try Self.validateName(spec.name, operation: operation)
        if case .veth(let peer) = spec.kind { try Self.validateName(peer.name, operation: operation) }
        do {
            try execute(MessageType.newLink, flags: RequestFlags.create | RequestFlags.exclusive,
                        payload: LinkMessages.create(spec), operation: operation)
        } catch {
            throw Self.explain(error, kind: spec.kind)
        }
        // The kernel ignores IFLA_IFALIAS when it creates a link, so the alias is a second request; if that
        // fails, the new link is removed again so the call stays all-or-nothing.
        guard let alias = spec.alias, spec.namespace == nil else { return }
        do {
            try setLink(named: spec.name, LinkChange(alias: alias))
        } catch {
            try? deleteLink(named: spec.name)
            throw error
        }
    }

    /// Changes the interface called `name` without looking up its index first (the kernel finds it by
    /// `IFLA_IFNAME`); `change.name` must be nil. Equivalent to `ip link set dev <name> ...`.
    public func setLink(named name: String, _ change: LinkChange) throws(NetlinkError) {
        precondition(change.name == nil, "setLink(named:) cannot rename; use setLink(_:_:name:)")
        do {
            try execute(MessageType.newLink, payload: LinkMessages.change(named: name, change),
                        operation: "change \"\(name)\"")
        } catch {
            throw Self.explain(error, kind: nil)
        }
    }

    /// Deletes the interface called `name`. Equivalent to `ip link del dev <name>`.
    public func deleteLink(named name: String) throws(NetlinkError) {
        try execute(MessageType.deleteLink, payload: LinkMessages.delete(named: name),
                    operation: "delete \"\(name)\"")
    }

    /// Changes an interface. Equivalent to `ip link set <dev> ...`.
    public func setLink(_ index: InterfaceIndex, _ change: LinkChange, name: String? = nil) throws(NetlinkError) {
        let target = name.map { "\"\($0)\"" } ?? "interface \(index)"
        if let newName = change.name { try Self.validateName(newName, operation: "rename \(target)") }
        let operation = change.namespace.map { "move \(target) to namespace \($0)" } ?? "change \(target)"
        do {
            try execute(MessageType.newLink, payload: LinkMessages.change(index, change), operation: operation)
        } catch {
            throw Self.explain(error, kind: nil)
        }
    }

    /// Moves an interface into another namespace. Equivalent to `ip link set <dev> netns <ns>`.
    public func moveLink(_ index: InterfaceIndex, to namespace: NetworkNamespace, name: String? = nil)
        throws(NetlinkError)
    {
        try setLink(index, LinkChange(namespace: namespace), name: name)
    }

    /// Moves an interface into the network namespace of process `pid`. Equivalent to `ip link set <dev> netns <pid>`.
    public func moveLink(_ index: InterfaceIndex, toProcess pid: Int32, name: String? = nil) throws(NetlinkError) {
        let target = name.map { "\"\($0)\"" } ?? "interface \(index)"
        do {
            try execute(MessageType.newLink, payload: LinkMessages.change(index, LinkChange(namespacePID: pid)),
                        operation: "move \(target) to the namespace of PID \(pid)")
        } catch {
            throw Self.explain(error, kind: nil)
        }
    }

    /// Deletes an interface. Equivalent to `ip link del <dev>`.
    public func deleteLink(_ index: InterfaceIndex, name: String? = nil) throws(NetlinkError) {
        let target = name.map { "\"\($0)\"" } ?? "interface \(index)"
        try execute(MessageType.deleteLink, payload: LinkMessages.delete(index), operation: "delete \(target)")
    }

    /// Every interface in the socket's namespace. Equivalent to `ip link show`.
    public func links() throws(NetlinkError) -> [Link] {
        var result: [Link] = []
        for message in try dump(MessageType.getLink, payload: LinkMessages.dump(), operation: "list interfaces")
        where message.type == MessageType.newLink {
            result.append(try Link(decoding: message.payload))
        }
        return result
    }

    /// The interface called `name`, or nil when there is none. Equivalent to `ip link show <name>`.
    public func link(named name: String) throws(NetlinkError) -> Link? {
        do {
            let reply = try query(MessageType.getLink, payload: LinkMessages.get(named: name),
                                  operation: "look up \"\(name)\"")
            return try Link(decoding: reply.payload)
        } catch let error where error.errno == .noSuchDevice {
            return nil
        }
    }

    /// The interface with `index`, or nil when there is none.
    public func link(_ index: InterfaceIndex) throws(NetlinkError) -> Link? {
        do {
            let reply = try query(MessageType.getLink, payload: LinkMessages.get(index),
                                  operation: "look up interface \(index)")
            return try Link(decoding: reply.payload)
        } catch let error where error.errno == .noSuchDevice {
            return nil
        }
    }

    /// Rejects names the kernel would refuse, with a message naming the limit.
    static func validateName(_ name: String, operation: String) throws(NetlinkError) {
        let reason: String? =
            switch InterfaceName.problem(with: name) {
            case nil: nil
            case .empty: "the interface name is empty"
            case .tooLong(let length): "interface name \"\(name)\" is \(length) bytes; the limit is 15"
            case .dotName, .forbiddenCharacter:
                "interface name \"\(name)\" may not contain '/', ':' or spaces, nor be '.' or '..'"
            }
        if let reason { throw .kernel(errno: .invalidArgument, operation: operation, message: reason) }
    }

    /// Replaces the kernel's terse errors with what they mean for interfaces.
    static func explain(_ error: NetlinkError, kind: LinkKind?) -> NetlinkError {
        guard case .kernel(let errno, let operation, let message) = error else { return error }
        var text: String?
        switch errno {
        case .exists:
            text = "an interface with that name already exists"
        case .notSupported where message == nil || message?.contains("Unknown device type") == true:
            if let missing = kind.flatMap(KernelFeatures.missingOption(for:)) {
                text = "this kernel has no \(missing.feature) support (\(missing.option))"
            }
        case .noSuchDevice:
            text = message ?? "no such interface"
        case .exchangeFull:
            text = message ?? "the bridge has no free port (a Linux bridge holds at most 1,023 ports)"
        default:
            break
        }
        return .kernel(errno: errno, operation: operation, message: text ?? message)
    }
}
