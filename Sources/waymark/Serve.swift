import ArgumentParser
import Hummingbird
import Foundation
import Logging
import WaymarkService
import WaymarkServer
import WaymarkStorage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web app and the JSON API.",
        discussion: "Pages at http://HOST:PORT/, the API at /api/v1 (spec at /api/v1/openapi.yaml).")

    @Option(help: "Port to listen on. Default: $WAYMARK_PORT, else 8080.") var port: Int?
    @Option(help: "Address to bind. Default: $WAYMARK_HOST, else 127.0.0.1.") var host: String?
    @Flag(help: "Seed the demo programme first if the database is empty, and add one demo user per role (demo only: they share a published password).") var demo = false
    @Flag(help: "Every request arrives over TLS: mark cookies Secure and send HSTS.") var secureCookies = false
    @Option(name: .customLong("trusted-proxy"), parsing: .singleValue,
            help: ArgumentHelp("A proxy whose X-Forwarded-For and X-Forwarded-Proto are believed, as an address or CIDR range (IPv4 or IPv6). Repeat it, or separate ranges with commas.",
                               valueName: "cidr"))
    var trustedProxy: [String] = []
    @Option(help: "Seconds a request waits for a PostgreSQL connection before answering 503 with Retry-After.")
    var dbConnectTimeout: Double = 5
    @Option(help: "Invalid API tokens one client address may send a minute before it gets 429. Default: $WAYMARK_BAD_TOKEN_LIMIT, else 30.")
    var badTokenLimit: Int?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let port = try port ?? Environment.value("WAYMARK_PORT").map {
            guard let p = Int($0), (1...65535).contains(p) else { throw ValidationError("WAYMARK_PORT '\($0)' is not a port number.") }
            return p
        } ?? 8080
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(parsing: trustedProxy.flatMap { $0.split(separator: ",").map(String.init) })
        } catch {
            throw ValidationError("--trusted-proxy \(error)")
        }
        let store: SQLStore
        do {
            store = try await StoreOpener.open(options.url, connectionWait: .milliseconds(Int64(dbConnectTimeout * 1000)))
            // A server that cannot write answers every signed-in request with an error; say so now.
            try await store.checkWritable()
        } catch let error as StorageError where error.code == .unavailable {
            throw StorageError(.unavailable, "Refusing to start: \(error.message)")
        }
        if demo {
            if let lines = try await DemoSeed.run(into: store) {
                for line in lines { print(line) }
            } else {
                print("The database already holds data; serving it as it is.")
            }
        }
        var settings = AccountService.Configuration()
        if let limit = try badTokenLimit ?? Environment.value("WAYMARK_BAD_TOKEN_LIMIT").map({
            guard let n = Int($0), n > 0 else { throw ValidationError("WAYMARK_BAD_TOKEN_LIMIT '\($0)' is not a positive number.") }
            return n
        }) {
            settings.limits.badTokensPerIP.limit = limit
        }
        let accounts = AccountService(store: store, configuration: settings)
        if demo {
            let users = try await DemoUsers.create(with: accounts)
            print("Demo users (DEMO ONLY; password '\(DemoUsers.password)'):")
            for user in users { print("  \(user.username.padding(toLength: 15, withPad: " ", startingAt: 0)) \(user.role.title) at \(user.organisation.name) (\(user.organisation.code))") }
        }
        var logger = Logger(label: "waymark")
        logger.logLevel = .info
        let configuration = ServerConfiguration(host: host ?? Environment.value("WAYMARK_HOST") ?? "127.0.0.1", port: port,
                                                secureCookies: secureCookies, trustedProxies: proxies)
        let app = try buildApplication(service: ProgrammeService(store: store), accounts: accounts, configuration: configuration, logger: logger)
        print("Waymark is serving \(options.url.hasPrefix("postgres") ? "PostgreSQL" : options.url) at http://\(configuration.host):\(port)/")
        try await app.runService()
    }
}
