import Foundation
import Testing
@testable import SpliceDaemon

/// `--cluster-store`, `--cluster-advertise` and `--cluster-store-opt`. Hermetic: nothing started.
@Suite("spliced cluster options")
struct ClusterOptionsTests {
    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try DaemonOptions.parse(arguments, environment: [:])
            return nil
        } catch {
            return error.description
        }
    }

    @Test func storeAndAdvertiseTogether() throws {
        let options = try DaemonOptions.parse(["--cluster-store", "etcd://10.0.0.1:2379,10.0.0.2:2379",
                                               "--cluster-advertise=eth0:2376", "--cluster-store-opt", "lease.ttl=5"],
                                              environment: [:])
        #expect(options.clusterStore == "etcd://10.0.0.1:2379,10.0.0.2:2379")
        #expect(options.clusterAdvertise == "eth0:2376")
        #expect(options.clusterLeaseTTL == 5)
        #expect(try DaemonOptions.parse([], environment: [:]).clusterStore == nil)
    }

    @Test(arguments: [
        (["--cluster-advertise", "eth0"],
         "invalid cluster configuration. --cluster-advertise must be accompanied by --cluster-store configuration"),
        (["--cluster-store", "etcd://a:2379"],
         "--cluster-store needs --cluster-advertise IP|IFACE: the address other hosts send this host's overlay"
            + " traffic to"),
        (["--cluster-store", "consul://a:8500", "--cluster-advertise", "eth0"],
         "invalid value \"consul://a:8500\" for flag --cluster-store: only etcd:// is supported"
            + " (etcd://HOST:2379[,HOST:2379])"),
        (["--cluster-store", "etcd://a:2379", "--cluster-advertise", "eth0", "--cluster-store-opt", "kv.path=x"],
         "invalid value \"kv.path=x\" for flag --cluster-store-opt: the only option is lease.ttl=SECONDS (2 to 3600)"),
    ])
    func badCombinationsAreRefused(arguments: [String], message: String) {
        #expect(failure(arguments) == message)
    }
}
