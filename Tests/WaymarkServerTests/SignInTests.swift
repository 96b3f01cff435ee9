import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Sign-in, sessions and abuse limits")
struct SignInTests {
    static let password = "correct horse battery staple"

    /// A real user with a bcrypt password (hashed once per test).
    static func addUser(_ app: TestApp, _ username: String, role: Role = .trustProjectManager) async throws -> UserAccount {
        try await app.accounts.addUser(username: username, displayName: "Pat Manager", role: role,
                                       organisationCode: try app.homeOrganisation(for: role).code, password: password,
                                       as: .commandLine(origin: "tests"))
    }

    static func signInForm(_ client: SignedInClient, username: String, password: String, next: String = "/",
                           headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let form = try await client.execute(uri: "/sign-in", method: .get) { try FormSession($0) }
        var headers = form.headers()
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/sign-in", method: .post, headers: headers,
                                        body: form.body([("username", username), ("password", password), ("next", next)]))
    }

    static func sessionCookie(_ response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("waymark_session=") }
    }

    @Test("a right password opens a server-side session with a safe cookie; sign-out destroys it", arguments: Backend.testable)
    func signInAndOut(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            _ = try await Self.addUser(app, "pat.manager")
            try await app.test(nil) { client in
                let response = try await Self.signInForm(client, username: "Pat.Manager", password: Self.password, next: "/projects")
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/projects")
                let cookie = try #require(Self.sessionCookie(response))
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
                let session = String(cookie.split(separator: ";")[0])
                let page = try await client.execute(uri: "/projects", method: .get, headers: [.cookie: session])
                #expect(page.status == .ok)
                #expect(page.text.contains("Pat Manager"))
                // Only the secret's hash is stored.
                let secret = String(session.dropFirst("waymark_session=".count))
                #expect(try await app.store.session(secretHash: Secrets.hash(secret)) != nil)
                #expect(try await app.store.database.fetch("SELECT COUNT(*) AS sessions FROM user_session WHERE secret_hash = ?",
                                                           [.text(secret)]).first?.int("sessions") == 0)

                let form = try FormSession(try await client.execute(uri: "/account", method: .get, headers: [.cookie: session]))
                var headers = form.headers()
                headers[.cookie] = "\(form.cookie); \(session)"
                let out = try await client.execute(uri: "/sign-out", method: .post, headers: headers, body: form.body([]))
                #expect(out.status == .seeOther)
                #expect(Self.sessionCookie(out)?.contains("Max-Age=0") == true)
                #expect(try await app.store.session(secretHash: Secrets.hash(secret)) == nil)
                let after = try await client.execute(uri: "/projects", method: .get, headers: [.cookie: session])
                #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/sign-in") == true)
            }
            let actions = try await app.store.auditEntries(AuditQuery(actor: "pat.manager")).items.map(\.action)
            #expect(actions.contains("sign in") && actions.contains("sign out"))
        }
    }

    @Test("signing in again rotates the session: the old cookie stops working", arguments: Backend.testable)
    func rotation(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            _ = try await Self.addUser(app, "pat.manager")
            let first = try await app.accounts.signIn(username: "pat.manager", password: Self.password, origin: "tests")
            let second = try await app.accounts.signIn(username: "pat.manager", password: Self.password, origin: "tests",
                                                       previousSecret: first.sessionSecret)
            #expect(first.sessionSecret != second.sessionSecret)
            #expect(try await app.accounts.user(sessionSecret: first.sessionSecret, origin: "tests") == nil)
            #expect(try await app.accounts.user(sessionSecret: second.sessionSecret, origin: "tests")?.name == "pat.manager")
        }
    }

    @Test("a session idle past the timeout, or past its lifetime, is ended")
    func idleTimeout() async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        let now = Clock()
        let accounts = AccountService(store: app.store, clock: WaymarkClock { now.date })
        let signedIn = try await accounts.signIn(username: "pat.manager", password: Self.password, origin: "tests")
        now.advance(29 * 60)
        #expect(try await accounts.user(sessionSecret: signedIn.sessionSecret, origin: "tests") != nil, "used within 30 minutes")
        now.advance(29 * 60)
        #expect(try await accounts.user(sessionSecret: signedIn.sessionSecret, origin: "tests") != nil, "the last use restarted the idle clock")
        now.advance(31 * 60)
        #expect(try await accounts.user(sessionSecret: signedIn.sessionSecret, origin: "tests") == nil, "idle for 31 minutes")
        #expect(try await app.store.session(secretHash: Secrets.hash(signedIn.sessionSecret)) == nil, "and deleted")
    }

    @Test("behind a trusted TLS proxy the session cookie is Secure; an untrusted X-Forwarded-Proto is ignored")
    func secureCookie() async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        let https: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
        try await app.test(nil, configuration: ClientAddressTests.behindLocalProxy, setup: .live) { client in
            let response = try await Self.signInForm(client, username: "pat.manager", password: Self.password, headers: https)
            #expect(Self.sessionCookie(response)?.contains("; Secure") == true)
        }
        try await app.test(nil) { client in
            let response = try await Self.signInForm(client, username: "pat.manager", password: Self.password, headers: https)
            #expect(Self.sessionCookie(response)?.contains("; Secure") == false)
        }
    }

    @Test("50 bad sign-ins from one address: after 3 that pair waits (429 and Retry-After), and every one is audited",
          arguments: Backend.testable)
    func bruteForce(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let user = try await Self.addUser(app, "pat.manager")
            try await app.test(nil) { client in
                var statuses: [HTTPResponse.Status] = []
                for attempt in 0..<50 {
                    let response = try await Self.signInForm(client, username: "pat.manager", password: "wrong password \(attempt)")
                    statuses.append(response.status)
                    if response.status == .tooManyRequests {
                        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                        #expect(Self.sessionCookie(response) == nil)
                    }
                }
                #expect(statuses.prefix(3).allSatisfy { $0 == .unauthorized })
                #expect(statuses.dropFirst(3).allSatisfy { $0 == .tooManyRequests })
                // From this address even the right password waits until the delay has passed.
                #expect(try await Self.signInForm(client, username: "pat.manager", password: Self.password).status == .tooManyRequests)
            }
            let entries = try await app.store.auditEntries(AuditQuery(actor: "pat.manager", limit: 500)).items
            #expect(entries.filter { $0.action == "sign in failed" }.count == 3)
            #expect(entries.filter { $0.action.hasPrefix("sign in refused") }.count == 48)
            #expect(entries.allSatisfy { $0.entityID == user.id || $0.action.hasPrefix("sign in refused") || $0.action == "add user" })
        }
    }

    @Test("someone guessing a password from one address cannot keep the user out from theirs")
    func noAccountLockout() async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        for attempt in 0..<20 {
            _ = try? await app.accounts.signIn(username: "pat.manager", password: "guess \(attempt)", origin: "198.51.100.7")
        }
        await #expect(throws: ServiceError.self) {
            try await app.accounts.signIn(username: "pat.manager", password: Self.password, origin: "198.51.100.7")
        }
        let signedIn = try await app.accounts.signIn(username: "pat.manager", password: Self.password, origin: "203.0.113.20")
        #expect(signedIn.user.name == "pat.manager")
    }

    @Test("the wait grows with each failure, and the right password ends it")
    func growingDelay() async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        let now = Clock()
        let accounts = AccountService(store: app.store, clock: WaymarkClock { now.date })
        func attempt(_ password: String) async -> String {
            do {
                _ = try await accounts.signIn(username: "pat.manager", password: password, origin: "192.0.2.5")
                return "signed in"
            } catch let error as ServiceError {
                return error.retryAfter.map { "wait \($0)" } ?? "\(error.kind)"
            } catch { return "\(error)" }
        }
        var outcomes: [String] = []
        for _ in 0..<3 { outcomes.append(await attempt("wrong password")) }
        outcomes.append(await attempt("wrong password"))
        now.advance(1)
        outcomes.append(await attempt("wrong password"))
        outcomes.append(await attempt(Self.password))
        now.advance(2)
        outcomes.append(await attempt(Self.password))
        outcomes.append(await attempt("wrong password"))
        #expect(outcomes == ["unauthorised", "unauthorised", "unauthorised", "wait 1", "unauthorised", "wait 2", "signed in", "unauthorised"])
    }

    @Test("30 failed sign-ins from one address do not stop others there signing in correctly")
    func sharedAddress() async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        for i in 0..<30 {
            _ = try? await app.accounts.signIn(username: "user\(i)", password: "whatever password", origin: "192.0.2.80")
        }
        let signedIn = try await app.accounts.signIn(username: "pat.manager", password: Self.password, origin: "192.0.2.80")
        #expect(signedIn.user.name == "pat.manager")
    }

    @Test("30 bad tokens from one address do not lock out valid tokens from it; bad ones then get 429")
    func badTokens() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            var statuses: [HTTPResponse.Status] = []
            for i in 0..<32 {
                statuses.append(try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get,
                                                         headers: [.authorization: "Bearer wmk_not-a-token-\(i)"]).status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(30).allSatisfy { $0 == .tooManyRequests })
            let valid = try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get)
            #expect(valid.status == .ok)
        }
    }

    @Test("failures from one address are limited across accounts too")
    func perAddress() async throws {
        var limits = AbuseLimitRules()
        limits.signInFailuresPerIP = .init(limit: 3, window: 600)
        let app = try await TestApp.make(limits: limits)
        let statuses = try await (0..<5).asyncMap { i in
            do {
                _ = try await app.accounts.signIn(username: "user\(i)", password: "whatever password", origin: "10.0.0.9")
                return "signed in"
            } catch let error as ServiceError { return "\(error.kind)" }
        }
        #expect(statuses == ["unauthorised", "unauthorised", "unauthorised", "tooManyRequests", "tooManyRequests"])
        // Another address is unaffected: its attempt is checked (and fails) rather than refused.
        await #expect(throws: ServiceError(.unauthorised, "The username or password is not right.")) {
            try await app.accounts.signIn(username: "user9", password: "whatever password", origin: "10.0.0.10")
        }
    }

    @Test("the next page after sign-in must be a path on this site", arguments: [
        ("/projects?q=x", "/projects?q=x"), ("//evil.example/", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"), ("/sign-out", "/"), ("", "/"),
    ])
    func safeRedirects(next: String, expected: String) async throws {
        let app = try await TestApp.make()
        _ = try await Self.addUser(app, "pat.manager")
        try await app.test(nil) { client in
            let response = try await Self.signInForm(client, username: "pat.manager", password: Self.password, next: next)
            #expect(response.headers[.location] == expected)
        }
    }
}

/// A clock tests can move.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Date(timeIntervalSince1970: 1_795_000_000)
    var date: Date { lock.withLock { now } }
    func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
