import NetLab

#if canImport(Glibc)
import Glibc
#endif

exit(LabCLI.main(Array(CommandLine.arguments.dropFirst())))
