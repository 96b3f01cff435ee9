import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
@testable import WaymarkServer

@Suite("The client's address, through trusted proxies only")
struct ClientAddressTests {
    /// A proxy on this host, as the live tests' client is.
    static let behindLocalProxy = ServerConfiguration(trustedProxies: try! TrustedProxies(parsing: ["127.0.0.0/8", "::1"]))
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func resolve(peer: String, _ headers: HTTPFields, trusting ranges: [String] = ["10.0.0.0/8", "2001:db8::/32"]) throws -> ClientConnection {
        ClientConnection(peer: try SocketAddress(ipAddress: peer, port: 40000), headers: headers,
                         proxies: try TrustedProxies(parsing: ranges), servesTLS: false)
    }

    @Test("X-Forwarded-For is read from the right, past trusted hops, and only from a trusted peer")
    func forwardedFor() throws {
        #expect(try resolve(peer: "198.51.100.1", [Self.forwardedFor: "203.0.113.7"]).address == "198.51.100.1", "untrusted peer")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "203.0.113.7"]).address == "203.0.113.7")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "6.6.6.6, 203.0.113.7"]).address == "203.0.113.7",
                "the client's own entries on the left are not believed")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "203.0.113.7, 10.0.0.9"]).address == "203.0.113.7",
                "a chain of trusted proxies")
        var twoLines = HTTPFields()
        twoLines.append(HTTPField(name: Self.forwardedFor, value: "6.6.6.6"))
        twoLines.append(HTTPField(name: Self.forwardedFor, value: "203.0.113.8"))
        #expect(try resolve(peer: "10.0.0.2", twoLines).address == "203.0.113.8", "repeated headers are one list")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "10.0.0.7, 10.0.0.9"]).address == "10.0.0.7", "all trusted")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "203.0.113.7, junk"]).address == "10.0.0.2",
                "nothing left of an unreadable hop is believed")
        #expect(try resolve(peer: "10.0.0.2", [:]).address == "10.0.0.2")
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedFor: "[2001:db9::1]:443"]).address == "2001:db9::1")
        #expect(try resolve(peer: "2001:db8::5", [Self.forwardedFor: "192.0.2.4:5123"]).address == "192.0.2.4", "IPv6 proxy")
        #expect(try resolve(peer: "::ffff:10.0.0.2", [Self.forwardedFor: "192.0.2.4"]).address == "192.0.2.4", "mapped IPv4 peer")
    }

    @Test("X-Forwarded-Proto counts only from a trusted proxy")
    func forwardedProto() throws {
        #expect(try resolve(peer: "10.0.0.2", [Self.forwardedProto: "https"]).overTLS)
        #expect(try !resolve(peer: "198.51.100.1", [Self.forwardedProto: "https"]).overTLS)
        #expect(try !resolve(peer: "10.0.0.2", [Self.forwardedProto: "http"]).overTLS)
    }

    @Test("serve --trusted-proxy refuses a range it cannot read")
    func invalidRange() {
        #expect(throws: TrustedProxies.InvalidRange.self) { try TrustedProxies(parsing: ["10.0.0.0/8", "10.0.0.0/40"]) }
    }

    @Test("behind a trusted proxy each client has its own address: a guesser is slowed, the user signs in, and both are audited as themselves")
    func throughTheProxy() async throws {
        let app = try await TestApp.make()
        _ = try await SignInTests.addUser(app, "pat.manager")
        let attacker: HTTPFields = [Self.forwardedFor: "198.51.100.7"]
        let user: HTTPFields = [Self.forwardedFor: "203.0.113.20", Self.forwardedProto: "https"]
        try await app.test(nil, configuration: Self.behindLocalProxy, setup: .live) { client in
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<6 {
                statuses.append(try await SignInTests.signInForm(client, username: "pat.manager", password: "guess \(attempt)",
                                                                 headers: attacker).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests, .tooManyRequests])
            let signedIn = try await SignInTests.signInForm(client, username: "pat.manager", password: SignInTests.password, headers: user)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.strictTransportSecurity] == "max-age=31536000")
            #expect(SignInTests.sessionCookie(signedIn)?.contains("; Secure") == true)
        }
        let entries = try await app.store.auditEntries(AuditQuery(actor: "pat.manager", limit: 50)).items
        #expect(entries.filter { $0.action == "sign in failed" }.allSatisfy { $0.origin == "198.51.100.7" })
        #expect(entries.first { $0.action == "sign in" }?.origin == "203.0.113.20")
    }

    @Test("without --trusted-proxy forwarding headers are ignored: the socket's address is the client")
    func untrustedHeaders() async throws {
        let app = try await TestApp.make()
        _ = try await SignInTests.addUser(app, "pat.manager")
        try await app.test(nil, setup: .live) { client in
            let response = try await SignInTests.signInForm(client, username: "pat.manager", password: SignInTests.password,
                                                            headers: [Self.forwardedFor: "203.0.113.20", Self.forwardedProto: "https"])
            #expect(response.status == .seeOther)
            #expect(response.headers[.strictTransportSecurity] == nil)
        }
        let origin = try await app.store.auditEntries(AuditQuery(actor: "pat.manager", limit: 50)).items.first { $0.action == "sign in" }?.origin
        #expect(origin == "127.0.0.1" || origin == "::1")
    }
}
