import Glibc
import SpliceRuntime

// splice-init <state-dir> [<spec.json>|-] [--report-fd N]: start one container and stay as its monitor.
// splice-init exec <container-pid>: start a process in a running container (spec on fd 3, report on fd 4).
// splice-init -- COMMAND [ARG...]: a container's pid 1 under `--init` (mounted at /sbin/docker-init).
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "exec" {
    exit(ExecLauncher.main(arguments: CommandLine.arguments))
}
// splice-init probe-idmap DIR: exit 0 when idmapped overlay layers work here (`spliced --userns-remap`).
if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "probe-idmap" {
    exit(ContainerMonitor.probeIdmappedLayers(directory: CommandLine.arguments[2]))
}
// splice-init serve DIRECTORY: the engine's start server (a fork per container instead of an exec; its socket on
// fd 3); DIRECTORY, the engine's containers, is only shown.
if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "serve" {
    exit(InitServer.main())
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--" {
    exit(MinimalInit.main(command: Array(CommandLine.arguments.dropFirst(2))))
}
exit(ContainerMonitor.main(arguments: CommandLine.arguments))
