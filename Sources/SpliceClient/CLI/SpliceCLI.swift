/// The `splice` command line: global `-H`, then one docker-compatible command.
public enum SpliceCLI {
    /// A command entry point: parses its own arguments and returns the exit status.
    typealias Handler = ([String], CommandContext) throws(ClientError) -> Int32

    static var commands: [String: Handler] { [
        "version": version, "info": info, "ps": ps, "images": images, "inspect": inspect, "logs": logs,
        "rm": rm, "stop": stop, "kill": kill, "start": start, "wait": wait, "port": port, "top": top,
        "import": importImage, "rmi": rmi, "tag": tag, "create": create, "run": runContainer,
        "attach": attach, "exec": exec, "pause": pause, "unpause": unpause, "restart": restart, "events": events,
        "volume": volume, "stats": stats, "rename": rename, "update": update, "container": container,
        "system": system, "network": network, "builder": builder,
        "diff": diff, "commit": commit, "build": build,
        "cp": copy, "export": export, "save": save, "load": load, "history": history, "image": image,
        "pull": pullImage, "push": pushImage, "login": login, "logout": logout, "search": search,
    ] }

    /// Runs `arguments` (without the program name) against the daemon chosen by `-H`/`$SPLICE_HOST`.
    public static func main(_ arguments: [String], console: Console = .standard,
                            environment: [String: String] = CommandContext.processEnvironment(),
                            now: @escaping () -> Int64 = CommandContext.systemNow) -> Int32 {
        var rest = arguments[...]
        var host: String?
        var debug = false
        while let first = rest.first, first.hasPrefix("-") {
            rest = rest.dropFirst()
            if first == "-H" || first == "--host" {
                guard let value = rest.first else {
                    console.err("flag needs an argument: '\(first.dropFirst(first.hasPrefix("--") ? 2 : 1))' in \(first)")
                    return 125
                }
                host = value
                rest = rest.dropFirst()
            } else if first == "-D" || first == "--debug" {
                debug = true
            } else if first == "--help" {
                rest = ["help"]
            } else if first.hasPrefix("--host=") {
                host = String(first.dropFirst("--host=".count))
            } else if first.hasPrefix("-H"), first.count > 2 {
                host = String(first.dropFirst(2))
            } else {
                console.err("unknown flag: \(first)\nSee 'splice --help'.")
                return 125
            }
        }
        guard let name = rest.first, name != "help" else {
            console.out("Usage:  splice [OPTIONS] COMMAND\n\nOptions:\n  -D, --debug         Print each request to the "
                + "daemon, with its time, on stderr\n  -H, --host string   Daemon socket to connect to "
                + "(default $SPLICE_HOST, $DOCKER_HOST or unix:///run/splice.sock)\n\nCommands:\n  "
                + commands.keys.sorted().joined(separator: "\n  "))
            return 0
        }
        guard let handler = commands[name] else {
            console.err("splice: unknown command: splice \(name)\n\nRun 'splice --help' for more information")
            return 1
        }
        do {
            let endpoint = try Endpoint.select(flag: host, environment: environment)
            let client = DockerClient(endpoint: endpoint)
            if debug { client.debug = { line in console.err("DEBU[splice] \(line)") } }
            let context = CommandContext(client: client, console: console, now: now, environment: environment)
            return try run(name, handler, Array(rest.dropFirst()), context)
        } catch {
            console.err(error.description)
            return error.exitStatus
        }
    }

    /// Runs one command with an existing context (what the tests call).
    public static func run(_ name: String, _ arguments: [String], context: CommandContext) -> Int32 {
        guard let handler = commands[name] else {
            context.console.err("splice: unknown command: splice \(name)")
            return 1
        }
        do {
            return try run(name, handler, arguments, context)
        } catch {
            context.console.err(error.description)
            return error.exitStatus
        }
    }

    private static func run(_ name: String, _ handler: Handler, _ arguments: [String], _ context: CommandContext)
        throws(ClientError) -> Int32 {
        do {
            return try handler(arguments, context)
        } catch .help {
            context.console.out("Usage:  " + (usages[name] ?? "splice \(name)"))
            return 0
        }
    }

    /// docker's usage line for each command.
    static let usages: [String: String] = [
        "version": "splice version", "info": "splice info [OPTIONS]",
        "ps": "splice ps [-a] [-q] [--no-trunc] [-n N|-l] [-s] [-f key=value]...",
        "images": "splice images [-a] [-q] [--no-trunc] [-f key=value]... [REPOSITORY[:TAG]]",
        "inspect": "splice inspect [-f FORMAT] [--type container|image] [-s] NAME|ID [NAME|ID...]",
        "logs": "splice logs [-f] [-t] [-n|--tail N|all] [--since T] [--until T] CONTAINER",
        "rm": "splice rm [-f] [-v] [-l] CONTAINER [CONTAINER...]",
        "stop": "splice stop [-t SECONDS] [-s SIGNAL] CONTAINER [CONTAINER...]",
        "kill": "splice kill [-s SIGNAL] CONTAINER [CONTAINER...]",
        "start": "splice start [-a] [-i] [--detach-keys KEYS] CONTAINER [CONTAINER...]",
        "attach": "splice attach [--no-stdin] [--sig-proxy=false] [--detach-keys KEYS] CONTAINER",
        "exec": "splice exec [-d] [-i] [-t] [-u USER] [-e K=V] [--env-file F] [-w DIR] [--privileged] "
            + "[--detach-keys KEYS] CONTAINER COMMAND [ARG...]",
        "pause": "splice pause CONTAINER [CONTAINER...]", "unpause": "splice unpause CONTAINER [CONTAINER...]",
        "restart": "splice restart [-t SECONDS] [-s SIGNAL] CONTAINER [CONTAINER...]",
        "events": "splice events [--since T] [--until T] [-f key=value]... [--format TEMPLATE]",
        "wait": "splice wait CONTAINER [CONTAINER...]", "port": "splice port CONTAINER [PRIVATE_PORT[/PROTO]]",
        "top": "splice top CONTAINER [ps OPTIONS]",
        "rename": "splice rename CONTAINER NEW_NAME",
        "update": "splice update [--blkio-weight W] [-c SHARES] [--cpus N] [--cpu-quota US] [--cpu-period US] "
            + "[--cpuset-cpus CPUS] [--cpuset-mems MEMS] [-m BYTES] [--memory-swap BYTES] [--memory-reservation BYTES] "
            + "[--pids-limit N] [--restart POLICY] CONTAINER [CONTAINER...]",
        "container": "splice container prune [-f] [--filter F] (and every container command: splice container ls ...)",
        "system": "splice system df [-v] | info | events | prune [-a] [-f] [--volumes] [--filter F]",
        "builder": "splice builder prune [-a] [-f]",
        "stats": "splice stats [-a] [--no-stream] [--no-trunc] [--format TEMPLATE] [CONTAINER...]",
        "volume": "splice volume COMMAND (create [-d local] [--label K=V] [-o K=V] [NAME], "
            + "ls [-q] [-f F] [--format T], inspect [-f T] NAME..., rm [-f] NAME..., prune [-f] [--filter F])",
        "network": "splice network COMMAND (create [-d bridge] [--subnet S] [--ip-range R] [--gateway G] "
            + "[--internal] [--label K=V] [-o K=V] NAME, ls [-q] [-f F] [--format T], inspect [-f T] NAME..., "
            + "connect [--alias A] [--ip IP] NETWORK CONTAINER, disconnect [-f] NETWORK CONTAINER, rm NAME..., "
            + "prune [-f])",
        "import": "splice import [-c CHANGE]... [-m MESSAGE] FILE|- [REPOSITORY[:TAG]]",
        "cp": "splice cp [-a] [-L] CONTAINER:SRC_PATH DEST_PATH|-\n       splice cp [-a] [-L] SRC_PATH|- CONTAINER:DEST_PATH",
        "export": "splice export [-o FILE] CONTAINER",
        "save": "splice save [-o FILE] IMAGE [IMAGE...]", "load": "splice load [-i FILE] [-q]",
        "history": "splice history [-q] [--no-trunc] IMAGE",
        "image": "splice image prune [-a] [-f] (and ls, rm, tag, history, save, load, import, inspect)",
        "pull": "splice pull [-a] [-q] NAME[:TAG|@DIGEST]", "push": "splice push [-a] [-q] NAME[:TAG]",
        "login": "splice login [-u USER] [-p PASSWORD | --password-stdin] [SERVER]", "logout": "splice logout [SERVER]",
        "search": "splice search [--limit N] [-f is-official=true|stars=N]... [--no-trunc] [--format T] TERM",
        "rmi": "splice rmi [-f] [--no-prune] IMAGE [IMAGE...]", "tag": "splice tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "diff": "splice diff CONTAINER",
        "commit": "splice commit [-a AUTHOR] [-m MESSAGE] [-c CHANGE]... [-p=false] CONTAINER [REPOSITORY[:TAG]]",
        "build": "splice build [-t NAME[:TAG]]... [-f FILE] [--build-arg K=V]... [--target STAGE] [--no-cache] [-q] "
            + "[--label K=V]... [--network MODE] PATH",
        "create": "splice create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n" + runOptionsHelp,
        "run": "splice run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n" + runOptionsHelp,
    ]

    /// The options of `run` and `create`, one line each.
    static let runOptionsHelp = """
        Options:
          -a, --attach list            Attach to STDIN, STDOUT or STDERR
              --add-host list          Add a custom host-to-IP mapping (host:ip)
              --blkio-weight uint16    Block IO (relative weight), between 10 and 1000, or 0 to disable
              --cap-add list           Add Linux capabilities
              --cap-drop list          Drop Linux capabilities
              --cgroupns string        Cgroup namespace to use (host|private)
              --cidfile string         Write the container ID to the file
          -c, --cpu-shares int         CPU shares (relative weight)
              --cpus decimal           Number of CPUs
              --cpuset-cpus string     CPUs in which to allow execution (0-3, 0,1)
          -d, --detach                 Run container in background and print container ID
              --detach-keys string     Override the key sequence for detaching a container
              --device list            Add a host device to the container
              --device-cgroup-rule list  Add a rule to the cgroup allowed devices list
              --dns list               Set custom DNS servers
              --dns-opt list           Set DNS options
              --dns-search list        Set custom DNS search domains
              --entrypoint string      Overwrite the default ENTRYPOINT of the image
          -e, --env list               Set environment variables
              --env-file list          Read in a file of environment variables
              --expose list            Expose a port or a range of ports
              --group-add list         Add additional groups to join
          -h, --hostname string        Container host name
          -i, --interactive            Keep STDIN open even if not attached
              --init                   Run an init inside the container that forwards signals and reaps processes
              --ip string              IPv4 address (e.g., 172.30.100.104)
          -l, --label list             Set meta data on a container
              --label-file list        Read in a line delimited file of labels
              --link list              Add link to another container
              --log-driver string      Logging driver for the container
              --log-opt list           Log driver options
              --mac-address string     Container MAC address (e.g., 92:d0:c6:0a:29:33)
          -m, --memory bytes           Memory limit
              --memory-swap bytes      Swap limit equal to memory plus swap: '-1' to enable unlimited swap
              --memory-swappiness int  Tune container memory swappiness (0 to 100)
              --mount mount            Attach a filesystem mount to the container
              --name string            Assign a name to the container
              --network string         Connect a container to a network (alias --net)
              --network-alias list     Add network-scoped alias for the container
              --pid string             PID namespace to use (host or container:NAME)
              --pids-limit int         Tune container pids limit (set -1 for unlimited)
              --privileged             Give extended privileges to this container
          -p, --publish list           Publish a container's port(s) to the host
          -P, --publish-all            Publish all exposed ports to random ports
              --read-only              Mount the container's root filesystem as read only
              --restart string         Restart policy to apply when a container exits (default "no")
              --rm                     Automatically remove the container when it exits
              --security-opt list      Security Options
              --sig-proxy              Proxy received signals to the process (default true)
              --stop-signal string     Signal to stop the container
              --stop-timeout int       Timeout (in seconds) to stop a container
              --tmpfs list             Mount a tmpfs directory
          -t, --tty                    Allocate a pseudo-TTY
          -u, --user string            Username or UID (format: <name|uid>[:<group|gid>])
              --uts string             UTS namespace to use
          -v, --volume list            Bind mount a volume
              --volumes-from list      Mount volumes from the specified container(s)
          -w, --workdir string         Working directory inside the container
        """

    /// Runs `body` for each name, printing errors like the CLI, and returns 1 if any failed.
    static func forEach(_ names: [String], _ context: CommandContext,
                        _ body: (String) throws(ClientError) -> Void) -> Int32 {
        var status: Int32 = 0
        for name in names {
            do {
                try body(name)
            } catch {
                context.console.err(error.description)
                status = 1
            }
        }
        return status
    }

    /// Encodes a filters map in the CLI's form `{"key":{"value":true}}` (keys sorted, as Go encodes maps).
    static func filtersJSON(_ filters: [String]) throws(ClientError) -> String? {
        guard !filters.isEmpty else { return nil }
        var map: [String: [String]] = [:]
        for filter in filters {
            guard let equals = filter.firstIndex(of: "=") else {
                throw .usage("invalid argument \"\(filter)\" for \"-f, --filter\" flag: bad format of filter "
                    + "(expected name=value)")
            }
            let key = String(filter[..<equals]).lowercased()
            map[key, default: []].append(String(filter[filter.index(after: equals)...]))
        }
        let members = map.keys.sorted().map { key in
            JSONValue.Member(key, .object(Array(Set(map[key] ?? [])).sorted().map { .init($0, .bool(true)) }))
        }
        return JSONValue.object(members).compactText
    }
}
