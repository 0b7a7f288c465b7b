import SpliceClient

#if canImport(Glibc)
import Glibc
#endif

exit(SpliceCLI.main(Array(CommandLine.arguments.dropFirst())))
