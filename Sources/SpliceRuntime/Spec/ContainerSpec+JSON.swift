#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONKit

/// How `splice-init` reads its spec: from JSONKit's document, field by field, in the shape the daemon's
/// `JSONEncoder` writes (enum cases as `{"case":{...}}`, associated values by label or `_0`, absent optionals).
/// `JSONDecoder` took 1.6 to 1.8 ms of every start here, nearly all in instantiating the generic metadata of its
/// containers in a process that is new each time; this reads the same document in a small fraction of that.
extension ContainerSpec {
    /// Parses and reads a spec document.
    public static func decode(_ bytes: [UInt8]) throws(RuntimeError) -> ContainerSpec {
        let document: JSONValue
        do {
            document = try JSONValue.decode(bytes)
        } catch {
            throw .invalidSpec("not JSON: \(error)")
        }
        return try ContainerSpec(json: SpecField(document, path: "spec"))
    }

    init(json spec: SpecField) throws(RuntimeError) {
        self.init(id: try spec["id"].string(), command: try spec["command"].strings(),
                  rootfs: try RootfsSpec(json: spec["rootfs"]))
        environment = try spec.optional("environment")?.strings() ?? environment
        workingDirectory = try spec.optional("workingDirectory")?.string() ?? workingDirectory
        user = try spec.optional("user")?.string() ?? user
        additionalGroups = try spec.optional("additionalGroups")?.array().map { field throws(RuntimeError) in
            try field.integer(UInt32.self)
        } ?? additionalGroups
        hostname = try spec.optional("hostname")?.string() ?? hostname
        mounts = try spec.optional("mounts")?.array().map { field throws(RuntimeError) in
            BindMount(source: try field["source"].string(), target: try field["target"].string(),
                      readOnly: try field["readOnly"].bool(), propagation: try field.optional("propagation")?.string())
        } ?? mounts
        if let network = spec.optional("network") {
            let (name, value) = try network.enumCase()
            switch name {
            case "host": self.network = .host
            case "namespace": self.network = .namespace(path: try value["path"].string())
            default: throw network.unknownCase(name)
            }
        }
        hosts = try spec.optional("hosts")?.array().map { field throws(RuntimeError) in
            HostsEntry(address: try field["address"].string(), names: try field["names"].strings())
        } ?? hosts
        if let dns = spec.optional("dns") {
            self.dns = DNSConfig(nameservers: try dns["nameservers"].strings(), searches: try dns["searches"].strings(),
                                 options: try dns["options"].strings())
        }
        capAdd = try spec.optional("capAdd")?.strings() ?? capAdd
        capDrop = try spec.optional("capDrop")?.strings() ?? capDrop
        privileged = try spec.optional("privileged")?.bool() ?? privileged
        noNewPrivileges = try spec.optional("noNewPrivileges")?.bool() ?? noNewPrivileges
        if let seccomp = spec.optional("seccomp") { self.seccomp = try SeccompSetting(json: seccomp) }
        if let compiled = spec.optional("compiledSeccomp") {
            guard let program = Data(base64Encoded: try compiled["program"].string()) else {
                throw compiled["program"].invalid("is not base64")
            }
            compiledSeccomp = CompiledSeccomp(capabilities: try compiled["capabilities"].integer(UInt64.self),
                                              program: Array(program))
        }
        tty = try spec.optional("tty")?.bool() ?? tty
        openStdin = try spec.optional("openStdin")?.bool() ?? openStdin
        stdinOnce = try spec.optional("stdinOnce")?.bool() ?? stdinOnce
        if let size = spec.optional("consoleSize") {
            consoleSize = TerminalSize(rows: try size["rows"].integer(UInt16.self),
                                       columns: try size["columns"].integer(UInt16.self))
        }
        logPath = try spec.optional("logPath")?.string()
        cgroupProcs = try spec.optional("cgroupProcs")?.strings() ?? []
        readonlyRootfs = try spec.optional("readonlyRootfs")?.bool() ?? false
        if let view = spec.optional("cgroupView") { cgroupView = try CgroupView(json: view) }
        if let mode = spec.optional("pidNamespace") { pidNamespace = try NamespaceMode(json: mode) }
        hostUTS = try spec.optional("hostUTS")?.bool() ?? false
        tmpfs = try spec.optional("tmpfs")?.array().map { field throws(RuntimeError) in
            TmpfsMount(target: try field["target"].string(), options: try field["options"].string())
        } ?? []
        if let sysctls = spec.optional("sysctls") {
            for (key, value) in try sysctls.members() { self.sysctls[key] = try value.string() }
        }
        shmSize = try spec.optional("shmSize")?.integer(Int64.self)
        if let mode = spec.optional("ipcNamespace") { ipcNamespace = try NamespaceMode(json: mode) }
        if let shared = spec.optional("sharedMemory") {
            let (name, value) = try shared.enumCase()
            switch name {
            case "tmpfs": sharedMemory = .tmpfs
            case "none": sharedMemory = .none
            case "host": sharedMemory = .host
            case "namespace": sharedMemory = .namespace(try value["_0"].string())
            default: throw shared.unknownCase(name)
            }
        }
        oomScoreAdjust = try spec.optional("oomScoreAdjust")?.integer(Int.self)
        resourceLimits = try spec.optional("resourceLimits")?.array().map { field throws(RuntimeError) in
            ResourceLimit(name: try field["name"].string(), soft: try field["soft"].integer(Int64.self),
                          hard: try field["hard"].integer(Int64.self))
        } ?? []
        initBinary = try spec.optional("initBinary")?.string()
        if let log = spec.optional("logSettings") {
            logSettings = LogSettings(enabled: try log["enabled"].bool(),
                                      maxSize: try log["maxSize"].integer(UInt64.self),
                                      maxFiles: try log["maxFiles"].integer(Int.self))
        }
        awaitAttach = try spec.optional("awaitAttach")?.bool() ?? false
        volatileUpper = try spec.optional("volatileUpper")?.bool() ?? false
        privateCgroupNamespace = try spec.optional("privateCgroupNamespace")?.bool() ?? false
        if let remap = spec.optional("userNamespace") {
            let mappings = { (field: SpecField) throws(RuntimeError) -> [UserNamespaceSpec.Mapping] in
                try field.array().map { entry throws(RuntimeError) in
                    UserNamespaceSpec.Mapping(containerID: try entry["containerID"].integer(UInt32.self),
                                              hostID: try entry["hostID"].integer(UInt32.self),
                                              size: try entry["size"].integer(UInt32.self))
                }
            }
            var namespace = UserNamespaceSpec(uidMappings: try mappings(remap["uidMappings"]),
                                              gidMappings: try mappings(remap["gidMappings"]))
            namespace.idmappedLayers = try remap.optional("idmappedLayers")?.bool()
            userNamespace = namespace
        }
    }
}

extension RootfsSpec {
    init(json field: SpecField) throws(RuntimeError) {
        let (name, value) = try field.enumCase()
        switch name {
        case "directory": self = .directory(path: try value["path"].string())
        case "overlay":
            self = .overlay(lower: try value["lower"].strings(), upper: try value["upper"].string(),
                            work: try value["work"].string())
        default: throw field.unknownCase(name)
        }
    }
}

extension NamespaceMode {
    init(json field: SpecField) throws(RuntimeError) {
        let (name, value) = try field.enumCase()
        switch name {
        case "private": self = .private
        case "host": self = .host
        case "path": self = .path(try value["_0"].string())
        default: throw field.unknownCase(name)
        }
    }
}

extension CgroupView {
    init(json field: SpecField) throws(RuntimeError) {
        let (name, value) = try field.enumCase()
        switch name {
        case "none": self = .none
        case "unified": self = .unified(source: try value["source"].string())
        case "v1":
            self = .v1(try value["_0"].array().map { entry throws(RuntimeError) in
                Hierarchy(name: try entry["name"].string(), source: try entry["source"].string(),
                          aliases: try entry["aliases"].strings())
            })
        default: throw field.unknownCase(name)
        }
    }
}

extension SeccompSetting {
    /// A custom profile (rare, and shaped as Docker's profile files) is read by its own `Decodable`.
    init(json field: SpecField) throws(RuntimeError) {
        let (name, value) = try field.enumCase()
        switch name {
        case "default": self = .default
        case "unconfined": self = .unconfined
        case "custom":
            let profile = value["profile"]
            do {
                self = .custom(profile: try JSONDecoder().decode(SeccompProfile.self,
                                                                 from: Data(try profile.value().compactText.utf8)))
            } catch let error as RuntimeError {
                throw error
            } catch {
                throw profile.invalid("is not a seccomp profile: \(error)")
            }
        default: throw field.unknownCase(name)
        }
    }
}
