import HTTPTypes
import Hummingbird
import NIOCore
import WaymarkCore

/// The proxies whose forwarding headers Waymark believes (`serve --trusted-proxy`). Anyone can
/// send `X-Forwarded-For`, so it is read only from a peer in one of these ranges; otherwise the
/// client is the socket's own address.
public struct TrustedProxies: Sendable {
    public let networks: [IPNetwork]

    public static let none = TrustedProxies(networks: [])

    public init(networks: [IPNetwork]) { self.networks = networks }

    /// CIDR ranges or bare addresses, IPv4 or IPv6; throws for the first that is neither.
    public init(parsing ranges: [String]) throws {
        networks = try ranges.map { range in
            guard let network = IPNetwork(range.trimmingSpaces) else { throw InvalidRange(text: range) }
            return network
        }
    }

    public struct InvalidRange: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "'\(text)' is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8." }
    }

    func trusts(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }
}

/// Where a request came from and whether it arrived over TLS, as the rest of Waymark sees it.
struct ClientConnection: Sendable {
    /// The client's address: the audit entry's origin and the abuse limits' key.
    var address: String
    /// True when Waymark serves TLS itself (`--secure-cookies`) or a trusted proxy says the
    /// client used HTTPS.
    var overTLS: Bool

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    init(address: String, overTLS: Bool) {
        self.address = address
        self.overTLS = overTLS
    }

    /// Walks `X-Forwarded-For` from the right, past our own proxies, to the first hop they did
    /// not add: entries further left are whatever the client chose to send.
    init(peer: SocketAddress?, headers: HTTPFields, proxies: TrustedProxies, servesTLS: Bool) {
        let peerAddress = peer?.ipAddress.flatMap { IPAddress($0) }
        guard let peerAddress, proxies.trusts(peerAddress) else {
            self.init(address: peerAddress?.description ?? peer?.ipAddress ?? "unknown", overTLS: servesTLS)
            return
        }
        var client = peerAddress
        let hops = headers[values: Self.forwardedFor].flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard let address = Self.address(inHop: hop) else { break }
            client = address
            if !proxies.trusts(address) { break }
        }
        let proto = headers[values: Self.forwardedProto].flatMap { $0.split(separator: ",") }.last.map { String($0).trimmingSpaces.lowercased() }
        self.init(address: client.description, overTLS: servesTLS || proto == "https")
    }

    /// One X-Forwarded-For entry: an address, perhaps with a port ("192.0.2.1:443", "[2001:db8::1]:443").
    static func address(inHop hop: Substring) -> IPAddress? {
        var text = Substring(String(hop).trimmingSpaces)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if text.filter({ $0 == ":" }).count == 1 {
            text = text.prefix { $0 != ":" }
        }
        return IPAddress(text)
    }
}
