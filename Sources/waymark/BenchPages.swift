import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WaymarkCore
import WaymarkServer
import WaymarkService
import WaymarkStorage

/// Times pages as people get them: the real application on a loopback port, a signed-in
/// national programme office session, and plain GETs. Nothing in the production targets exists
/// only for the bench.
struct PageClient: Sendable {
    let base: String
    let cookie: String
    let server: Task<Void, any Error>

    static func start(store: SQLStore, clock: WaymarkClock = WaymarkClock()) async throws -> PageClient {
        var settings = AccountService.Configuration()
        settings.limits = .unlimited
        let accounts = AccountService(store: store, configuration: settings)
        let username = "bench-pages-\(Int.random(in: 1000...999_999))"
        let password = Secrets.generate()
        _ = try await accounts.addUser(username: username, displayName: "Benchmark user", role: .nationalProgrammeOffice,
                                       organisationCode: "NPO", password: password, as: .commandLine(origin: "bench"))
        let session = try await accounts.signIn(username: username, password: password, origin: "bench").sessionSecret
        let ready = AsyncStream<Int>.makeStream()
        let app = try buildApplication(service: ProgrammeService(store: store, clock: clock), accounts: accounts,
                                       configuration: ServerConfiguration(port: 0)) { port in ready.continuation.yield(port) }
        let server = Task { try await app.run() }
        var port = 0
        for await value in ready.stream {
            port = value
            break
        }
        return PageClient(base: "http://127.0.0.1:\(port)", cookie: "waymark_session=\(session)", server: server)
    }

    /// GETs a page and returns its size in bytes; anything but 200 is an error.
    func get(_ path: String) async throws -> Int {
        var request = URLRequest(url: URL(string: base + path)!, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData)
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw ValidationError("GET \(path) answered \((response as? HTTPURLResponse)?.statusCode ?? 0), not 200.")
        }
        // A redirect (to sign in, say) would time the wrong page.
        guard http.url?.path == URL(string: base + path)?.path else {
            throw ValidationError("GET \(path) was redirected to \(http.url?.path ?? "?").")
        }
        return data.count
    }

    func stop() { server.cancel() }

    /// No cache and no cookie store: every GET is served afresh, as the one signed-in user.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        // The session cookie is sent by hand; a cookie store would add the server's own.
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()
}
