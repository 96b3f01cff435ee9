#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, for trusted-proxy ranges and per-address abuse limits. An
/// IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is read as the IPv4 address it carries, so a
/// dual-stack socket and an IPv4 range agree.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(_ text: some StringProtocol) {
        // A zone ("fe80::1%eth0") names an interface, not part of the address.
        let plain = String(text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)[0])
        var v4 = in_addr()
        var v6 = in6_addr()
        if !plain.contains(":"), inet_pton(AF_INET, plain, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if plain.contains(":"), inet_pton(AF_INET6, plain, &v6) == 1 {
            let all = withUnsafeBytes(of: &v6) { Array($0) }
            bytes = all.prefix(12).elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) ? Array(all.suffix(4)) : all
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "::" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What abuse limits count by: the address, or for IPv6 its /64, because one client is
    /// routinely given a whole /64 and could otherwise step round a per-address limit.
    public var abuseKey: String {
        isIPv4 ? description : "\(IPNetwork(self, prefixLength: 64))"
    }
}

/// An address range in CIDR notation ("10.0.0.0/8", "2001:db8::/32"); a bare address is a
/// range of one.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.bytes.count * 8
        guard let length = parts.count == 2 ? Int(parts[1]) : maximum, (0...maximum).contains(length) else { return nil }
        self.init(address, prefixLength: length)
    }

    /// The network holding `address`, with the host bits cleared.
    public init(_ address: IPAddress, prefixLength: Int) {
        self.address = IPAddress(bytes: address.bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, prefixLength - index * 8))
            return kept == 8 ? byte : byte & ~(UInt8(0xff) >> kept)
        })
        self.prefixLength = prefixLength
    }

    public func contains(_ other: IPAddress) -> Bool {
        other.bytes.count == address.bytes.count && IPNetwork(other, prefixLength: prefixLength).address == address
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
