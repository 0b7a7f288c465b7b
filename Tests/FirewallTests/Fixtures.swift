// Captured from libnftables 1.0.6 on Linux 6.18 in a scratch network namespace (`nft -j` prints the JSON that
// NFT_CTX_OUTPUT_JSON gives; the error texts are libnftables' error buffer). Long lines are wrapped with `\#`
// line continuations, so each string is byte-for-byte what libnftables printed.

/// Real libnftables output the decoding tests are fed.
enum Fixtures {
    /// `nft -j 'list tables; list chains'` with the `both` model applied and a Docker-like
    /// `table ip filter` (FORWARD policy drop) beside it.
    static let overview = #"""
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_vers\#
        ion": 1}}, {"table": {"family": "ip", "name": "filter", "handle": 1}}, {"table": {"family": "inet", \#
        "name": "splice", "handle": 5}}, {"table": {"family": "bridge", "name": "splice", "handle": 6}}, {"t\#
        able": {"family": "ip", "name": "splice-nat", "handle": 7}}]}
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_vers\#
        ion": 1}}, {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 1, "type": "filt\#
        er", "hook": "input", "prio": 0, "policy": "accept"}}, {"chain": {"family": "ip", "table": "filter",\#
         "name": "FORWARD", "handle": 2, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},\#
         {"chain": {"family": "ip", "table": "filter", "name": "OUTPUT", "handle": 3, "type": "filter", "hoo\#
        k": "output", "prio": 0, "policy": "accept"}}, {"chain": {"family": "ip", "table": "filter", "name":\#
         "DOCKER-USER", "handle": 4}}, {"chain": {"family": "inet", "table": "splice", "name": "forward", "h\#
        andle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}}, {"chain": {"family"\#
        : "inet", "table": "splice", "name": "prerouting", "handle": 2, "type": "filter", "hook": "preroutin\#
        g", "prio": -90, "policy": "accept"}}, {"chain": {"family": "bridge", "table": "splice", "name": "fo\#
        rward", "handle": 1, "type": "filter", "hook": "forward", "prio": -200, "policy": "accept"}}, {"chai\#
        n": {"family": "ip", "table": "splice-nat", "name": "prerouting", "handle": 1, "type": "nat", "hook"\#
        : "prerouting", "prio": -100, "policy": "accept"}}, {"chain": {"family": "ip", "table": "splice-nat"\#
        , "name": "output", "handle": 2, "type": "nat", "hook": "output", "prio": -100, "policy": "accept"}}\#
        , {"chain": {"family": "ip", "table": "splice-nat", "name": "published", "handle": 3}}, {"chain": {"\#
        family": "ip", "table": "splice-nat", "name": "postrouting", "handle": 4, "type": "nat", "hook": "po\#
        strouting", "prio": 100, "policy": "accept"}}]}
        """#

    /// `nft -j list table inet splice` for the `both` model.
    static let inetTable = #"""
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_vers\#
        ion": 1}}, {"table": {"family": "inet", "name": "splice", "handle": 5}}, {"chain": {"family": "inet"\#
        , "table": "splice", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": 0,\#
         "policy": "accept"}}, {"chain": {"family": "inet", "table": "splice", "name": "prerouting", "handle\#
        ": 2, "type": "filter", "hook": "prerouting", "prio": -90, "policy": "accept"}}, {"rule": {"family":\#
         "inet", "table": "splice", "chain": "forward", "handle": 3, "expr": [{"match": {"op": "in", "left":\#
         {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}}, {"rule": {"fa\#
        mily": "inet", "table": "splice", "chain": "forward", "handle": 4, "expr": [{"match": {"op": "in", "\#
        left": {"ct": {"key": "status"}}, "right": "dnat"}}, {"accept": null}]}}, {"rule": {"family": "inet"\#
        , "table": "splice", "chain": "forward", "handle": 5, "expr": [{"match": {"op": "==", "left": {"meta\#
        ": {"key": "iifname"}}, "right": "br-front"}}, {"match": {"op": "==", "left": {"meta": {"key": "oifn\#
        ame"}}, "right": "br-back"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "splice", "cha\#
        in": "forward", "handle": 6, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "\#
        right": "br-front"}}, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "br-fron\#
        t"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "splice", "chain": "forward", "handl\#
        e": 7, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "br-front"}}, \#
        {"drop": null}]}}, {"rule": {"family": "inet", "table": "splice", "chain": "forward", "handle": 8, "\#
        expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "br-back"}}, {"match":\#
         {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "br-front"}}, {"drop": null}]}}, {"rule\#
        ": {"family": "inet", "table": "splice", "chain": "forward", "handle": 9, "expr": [{"match": {"op": \#
        "==", "left": {"meta": {"key": "iifname"}}, "right": "br-back"}}, {"match": {"op": "==", "left": {"m\#
        eta": {"key": "oifname"}}, "right": "br-back"}}, {"drop": null}]}}, {"rule": {"family": "inet", "tab\#
        le": "splice", "chain": "forward", "handle": 10, "expr": [{"match": {"op": "==", "left": {"meta": {"\#
        key": "oifname"}}, "right": "br-back"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "sp\#
        lice", "chain": "prerouting", "handle": 11, "expr": [{"match": {"op": "==", "left": {"meta": {"key":\#
         "iifname"}}, "right": "br-back"}}, {"match": {"op": "in", "left": {"ct": {"key": "status"}}, "right\#
        ": "dnat"}}, {"mangle": {"key": {"meta": {"key": "mark"}}, "value": {"|": [{"meta": {"key": "mark"}}\#
        , 536870912]}}}]}}]}
        """#

    /// `nft -j list table bridge splice` for the `both` model (two isolated ports).
    static let bridgeTable = #"""
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_vers\#
        ion": 1}}, {"table": {"family": "bridge", "name": "splice", "handle": 6}}, {"set": {"family": "bridg\#
        e", "name": "isolated-ports", "table": "splice", "type": "ifname", "handle": 2, "elem": ["vb-back1",\#
         "vb-back2"]}}, {"chain": {"family": "bridge", "table": "splice", "name": "forward", "handle": 1, "t\#
        ype": "filter", "hook": "forward", "prio": -200, "policy": "accept"}}, {"rule": {"family": "bridge",\#
         "table": "splice", "chain": "forward", "handle": 3, "expr": [{"match": {"op": "==", "left": {"&": [\#
        {"meta": {"key": "mark"}}, 536870912]}, "right": 536870912}}, {"mangle": {"key": {"meta": {"key": "m\#
        ark"}}, "value": {"&": [{"meta": {"key": "mark"}}, 3758096383]}}}, {"accept": null}]}}, {"rule": {"f\#
        amily": "bridge", "table": "splice", "chain": "forward", "handle": 5, "expr": [{"match": {"op": "=="\#
        , "left": {"meta": {"key": "iifname"}}, "right": "@isolated-ports"}}, {"match": {"op": "==", "left":\#
         {"payload": {"protocol": "ether", "field": "type"}}, "right": {"set": ["ip", "ip6"]}}}, {"drop": nu\#
        ll}]}}, {"rule": {"family": "bridge", "table": "splice", "chain": "forward", "handle": 7, "expr": [{\#
        "match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "@isolated-ports"}}, {"match": \#
        {"op": "==", "left": {"payload": {"protocol": "ether", "field": "type"}}, "right": {"set": ["ip", "i\#
        p6"]}}}, {"drop": null}]}}]}
        """#

    /// `nft -j list table ip splice-nat` for the `both` model (one element in each port map).
    static let natTable = #"""
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_vers\#
        ion": 1}}, {"table": {"family": "ip", "name": "splice-nat", "handle": 7}}, {"map": {"family": "ip", \#
        "name": "tcp-ports", "table": "splice-nat", "type": ["ipv4_addr", "inet_service"], "handle": 5, "map\#
        ": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["127.0.0.1", 9090]}, "comment"\#
        : "br-back"}}, {"concat": ["10.20.0.3", 90]}]]}}, {"map": {"family": "ip", "name": "tcp-any-ports", \#
        "table": "splice-nat", "type": "inet_service", "handle": 6, "map": "ipv4_addr . inet_service", "elem\#
        ": [[{"elem": {"val": 8080, "comment": "br-front"}}, {"concat": ["10.10.0.2", 80]}]]}}, {"map": {"fa\#
        mily": "ip", "name": "udp-ports", "table": "splice-nat", "type": ["ipv4_addr", "inet_service"], "han\#
        dle": 7, "map": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["192.0.2.1", 5353\#
        ]}, "comment": "br-front"}}, {"concat": ["10.10.0.2", 53]}]]}}, {"map": {"family": "ip", "name": "ud\#
        p-any-ports", "table": "splice-nat", "type": "inet_service", "handle": 8, "map": "ipv4_addr . inet_s\#
        ervice", "elem": [[{"elem": {"val": 6000, "comment": "br-back"}}, {"concat": ["10.20.0.3", 60]}]]}},\#
         {"chain": {"family": "ip", "table": "splice-nat", "name": "prerouting", "handle": 1, "type": "nat",\#
         "hook": "prerouting", "prio": -100, "policy": "accept"}}, {"chain": {"family": "ip", "table": "spli\#
        ce-nat", "name": "output", "handle": 2, "type": "nat", "hook": "output", "prio": -100, "policy": "ac\#
        cept"}}, {"chain": {"family": "ip", "table": "splice-nat", "name": "published", "handle": 3}}, {"cha\#
        in": {"family": "ip", "table": "splice-nat", "name": "postrouting", "handle": 4, "type": "nat", "hoo\#
        k": "postrouting", "prio": 100, "policy": "accept"}}, {"rule": {"family": "ip", "table": "splice-nat\#
        ", "chain": "prerouting", "handle": 9, "expr": [{"match": {"op": "==", "left": {"fib": {"result": "t\#
        ype", "flags": ["daddr"]}}, "right": "local"}}, {"jump": {"target": "published"}}]}}, {"rule": {"fam\#
        ily": "ip", "table": "splice-nat", "chain": "output", "handle": 10, "expr": [{"match": {"op": "==", \#
        "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": "local"}}, {"jump": {"target": "pu\#
        blished"}}]}}, {"rule": {"family": "ip", "table": "splice-nat", "chain": "published", "handle": 12, \#
        "expr": [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": {"set": ["tcp", "udp"\#
        ]}}}, {"match": {"op": "!=", "left": {"payload": {"protocol": "th", "field": "dport"}}, "right": {"r\#
        ange": [1024, 65535]}}}, {"return": null}]}}, {"rule": {"family": "ip", "table": "splice-nat", "chai\#
        n": "published", "handle": 13, "expr": [{"dnat": {"family": "ip", "addr": {"map": {"key": {"concat":\#
         [{"payload": {"protocol": "ip", "field": "daddr"}}, {"payload": {"protocol": "tcp", "field": "dport\#
        "}}]}, "data": "@tcp-ports"}}}}]}}, {"rule": {"family": "ip", "table": "splice-nat", "chain": "publi\#
        shed", "handle": 14, "expr": [{"dnat": {"family": "ip", "addr": {"map": {"key": {"payload": {"protoc\#
        ol": "tcp", "field": "dport"}}, "data": "@tcp-any-ports"}}}}]}}, {"rule": {"family": "ip", "table": \#
        "splice-nat", "chain": "published", "handle": 15, "expr": [{"dnat": {"family": "ip", "addr": {"map":\#
         {"key": {"concat": [{"payload": {"protocol": "ip", "field": "daddr"}}, {"payload": {"protocol": "ud\#
        p", "field": "dport"}}]}, "data": "@udp-ports"}}}}]}}, {"rule": {"family": "ip", "table": "splice-na\#
        t", "chain": "published", "handle": 16, "expr": [{"dnat": {"family": "ip", "addr": {"map": {"key": {\#
        "payload": {"protocol": "udp", "field": "dport"}}, "data": "@udp-any-ports"}}}}]}}, {"rule": {"famil\#
        y": "ip", "table": "splice-nat", "chain": "postrouting", "handle": 18, "expr": [{"match": {"op": "in\#
        ", "left": {"ct": {"key": "status"}}, "right": "dnat"}}, {"match": {"op": "==", "left": {"payload": \#
        {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "127.0.0.0", "len": 8}}}}, {"mat\#
        ch": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": {"set": ["br-back", "br-front"]}}},\#
         {"masquerade": null}]}}, {"rule": {"family": "ip", "table": "splice-nat", "chain": "postrouting", "\#
        handle": 19, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "status"}}, "right": "dnat"}}, {\#
        "match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix":\#
         {"addr": "10.10.0.0", "len": 24}}}}, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "\#
        right": "br-front"}}, {"masquerade": null}]}}, {"rule": {"family": "ip", "table": "splice-nat", "cha\#
        in": "postrouting", "handle": 20, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "\#
        ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.10.0.0", "len": 24}}}}, {"match": {"op": "\#
        !=", "left": {"meta": {"key": "oifname"}}, "right": "br-front"}}, {"masquerade": null}]}}, {"rule": \#
        {"family": "ip", "table": "splice-nat", "chain": "postrouting", "handle": 21, "expr": [{"match": {"o\#
        p": "in", "left": {"ct": {"key": "status"}}, "right": "dnat"}}, {"match": {"op": "==", "left": {"pay\#
        load": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.20.0.0", "len": 24}}}\#
        }, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "br-back"}}, {"masquerade":\#
         null}]}}]}
        """#

    /// The error text for a map element whose key exists with another value.
    static let errorExists = #"""
        Error: Could not process rule: File exists
        add element ip splice-nat tcp-any-ports { 8080 : 10.10.0.9 . 80 }
                                                  ^^^^
        """#

    /// The error text for deleting a table that does not exist.
    static let errorMissing = #"""
        Error: Could not process rule: No such file or directory
        delete table ip nosuch
                        ^^^^^^
        """#

    /// The error text for a jump to a chain that does not exist.
    static let errorNoChain = #"""
        Error: Could not process rule: No such file or directory
        add rule inet splice forward iifname br0 jump nowhere
                                                      ^^^^^^^
        """#
}
