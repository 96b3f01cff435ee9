import ArgumentParser
import Hummingbird
import Logging
import WaymarkService
import WaymarkServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web app and the JSON API.",
        discussion: "Pages at http://HOST:PORT/, the API at /api/v1 (spec at /api/v1/openapi.yaml).")

    @Option(help: "Port to listen on. Default: $WAYMARK_PORT, else 8080.") var port: Int?
    @Option(help: "Address to bind. Default: $WAYMARK_HOST, else 127.0.0.1.") var host: String?
    @Flag(help: "Seed the demo programme first if the database is empty.") var demo = false
    @Flag(help: "Mark cookies Secure (set when served over TLS).") var secureCookies = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let port = try port ?? Environment.value("WAYMARK_PORT").map {
            guard let p = Int($0), (1...65535).contains(p) else { throw ValidationError("WAYMARK_PORT '\($0)' is not a port number.") }
            return p
        } ?? 8080
        let store = try await StoreOpener.open(options.url)
        if demo {
            if try await store.isEmpty() {
                print(try await Seed.load(.demo, into: store, label: "demo"))
            } else {
                print("The database already holds data; serving it as it is.")
            }
        }
        var logger = Logger(label: "waymark")
        logger.logLevel = .info
        let configuration = ServerConfiguration(host: host ?? Environment.value("WAYMARK_HOST") ?? "127.0.0.1", port: port,
                                                secureCookies: secureCookies)
        let app = try buildApplication(service: ProgrammeService(store: store), configuration: configuration, logger: logger)
        print("Waymark is serving \(options.url.hasPrefix("postgres") ? "PostgreSQL" : options.url) at http://\(configuration.host):\(port)/")
        try await app.runService()
    }
}
