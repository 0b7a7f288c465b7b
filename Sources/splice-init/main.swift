import Glibc
import SpliceRuntime

// splice-init <state-dir> [<spec.json>|-] [--report-fd N]: start one container and stay as its monitor.
exit(ContainerMonitor.main(arguments: CommandLine.arguments))
