import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which proxy, if any, carries the requests to one API server, by kubectl's rules.
///
/// client-go (`transport/cache.go`) uses the kubeconfig's `proxy-url` for every request when
/// it is set (`http.ProxyURL`: no exceptions, loopback included); otherwise Go's
/// `http.ProxyFromEnvironment`, whose rules are `golang.org/x/net/http/httpproxy`
/// (`Config.ProxyFunc`, `useProxy`, `domainMatch`, `ipMatch`, `cidrMatch`), ported here:
/// `HTTPS_PROXY` for an https server and `HTTP_PROXY` for an http one (upper case first, then
/// lower case); never for `localhost` or a loopback IP; never when `NO_PROXY` matches.
public enum ProxySelection {
    public static func proxy(for server: URL, proxyURL: KubeProxy?, environment: [String: String]) throws -> KubeProxy? {
        if let proxyURL { return proxyURL }
        let secure = server.scheme?.lowercased() == "https"
        let names = secure ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }), let value = environment[name] else { return nil }
        let host = bareHost(server.host ?? "")
        let port = server.port ?? (secure ? 443 : 80)
        let noProxy = environment["NO_PROXY"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["no_proxy"] ?? ""
        guard useProxy(host: host, port: port, noProxy: noProxy) else { return nil }
        return try KubeProxy.parse(value, source: "$\(name)")
    }

    /// httpproxy's `useProxy`: false for loopback hosts and for hosts `NO_PROXY` names.
    /// Entries are `*`, CIDRs (`10.0.0.0/8`), IPs (`10.1.2.3`, `[::1]:6443`), and domains: `example.com`
    /// matches it and its subdomains, `.example.com` and `*.example.com` only subdomains; an entry
    /// with `:port` matches only that port.
    public static func useProxy(host rawHost: String, port: Int, noProxy: String) -> Bool {
        let host = bareHost(rawHost).lowercased()
        if host.isEmpty { return true }
        if host == "localhost" { return false }
        let address = IPAddress(host)
        if let address, address.isLoopback { return false }
        for rawEntry in noProxy.split(separator: ",") {
            let entry = rawEntry.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return false }
            if let (network, bits) = cidr(entry) {
                if let address, address.isIn(network, prefix: bits) { return false }
                continue
            }
            let (entryHost, entryPort) = splitHostPort(entry)
            if entryPort != nil, entryPort != port { continue }
            if let entryAddress = IPAddress(bareHost(entryHost)) {
                if entryAddress == address { return false }
                continue
            }
            var domain = entryHost
            if domain.hasPrefix("*.") { domain.removeFirst() }
            let matchesHostItself = !domain.hasPrefix(".")
            if matchesHostItself { domain = "." + domain }
            if host.hasSuffix(domain) || (matchesHostItself && host == domain.dropFirst()) { return false }
        }
        return true
    }

    private static func bareHost(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// `host:port`, `[v6]:port`, or a bare host (a v6 address without brackets has no port).
    private static func splitHostPort(_ entry: String) -> (String, Int?) {
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            let rest = entry[entry.index(after: close)...]
            return (String(entry[...close]), rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let colons = entry.filter { $0 == ":" }.count
        if colons == 1, let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]) {
            return (String(entry[..<colon]), port)
        }
        return (entry, nil)
    }

    private static func cidr(_ entry: String) -> (IPAddress, Int)? {
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let network = IPAddress(String(parts[0])), let bits = Int(parts[1]),
              bits >= 0, bits <= network.bytes.count * 8 else { return nil }
        return (network, bits)
    }
}

/// An IPv4 or IPv6 address as bytes; an IPv4-mapped IPv6 address is its IPv4 address, as in Go.
struct IPAddress: Equatable {
    let bytes: [UInt8]

    init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let raw = withUnsafeBytes(of: &v6) { Array($0) }
            bytes = raw.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(raw.suffix(4)) : raw
        } else {
            return nil
        }
    }

    var isLoopback: Bool { bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }

    func isIn(_ network: IPAddress, prefix bits: Int) -> Bool {
        guard bytes.count == network.bytes.count else { return false }
        for index in 0..<bytes.count {
            let remaining = bits - index * 8
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if bytes[index] & mask != network.bytes[index] & mask { return false }
        }
        return true
    }
}
