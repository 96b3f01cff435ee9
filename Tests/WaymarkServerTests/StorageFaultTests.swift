import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

/// Log lines kept in memory, so a test can read what an operator would.
final class FaultLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var lines: [String] { lock.withLock { entries } }

    func append(_ line: String) { lock.withLock { entries.append(line) } }

    var logger: Logger {
        Logger(label: "waymark.tests") { _ in FaultLogHandler(log: self) }
    }
}

struct FaultLogHandler: LogHandler {
    let log: FaultLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        log.append("\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

/// The database failing under a running server (issue 12): a full disk and a read-only file.
@Suite("Storage faults over HTTP")
struct StorageFaultHTTPTests {
    static func raise(_ client: SignedInClient, in project: ImplementationProject, title: String) async throws -> TestResponse {
        let long = String(repeating: "x", count: TrackingRules.maximumText)
        let body = #"{"title": "\#(title)", "owner": "Ben", "area": "IT", "probability": 45, "priority": 2, "controllability": "C", "#
            + #""description": "\#(long)", "cause": "\#(long)", "effect": "\#(long)"}"#
        return try await client.execute(uri: "/api/v1/projects/\(project.code)/register", method: .post,
                                        headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    static func serve(_ app: TestApp, as role: Role, log: FaultLog,
                      _ body: @escaping @Sendable (SignedInClient) async throws -> Void) async throws {
        let credentials = try await app.signIn(role)
        let server = try buildApplication(service: app.service, accounts: app.accounts, configuration: ServerConfiguration(), logger: log.logger)
        try await server.test(.router) { client in try await body(SignedInClient(client: client, credentials: credentials)) }
    }

    @Test("a full disk answers 503 with Retry-After, logs the cause without the request's data, and recovers once there is space")
    func fullDisk() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == (try? app.homeOrganisation(for: .trustProjectManager))?.id })
        let log = FaultLog()
        try await Self.serve(app, as: .trustProjectManager, log: log) { client async throws in
            try await fill(app.store.database)
            let full = try await Self.raise(client, in: project, title: "Secret title while full")
            #expect(full.status == .serviceUnavailable, "\(full.status) \(full.text)")
            #expect(full.headers[.retryAfter] != nil)
            #expect(!full.text.contains("SQLITE") && !full.text.lowercased().contains("sqlite"), "no database internals in the answer")
            let lines = log.lines.filter { $0.contains("database unavailable") }
            #expect(lines.count == 1, "\(log.lines)")
            #expect(lines.first?.contains("full") == true)
            #expect(lines.first?.contains("Secret title") == false && lines.first?.contains("INSERT") == false)

            try await app.store.database.write([SQLStatement("PRAGMA max_page_count = 1073741823")])
            let recovered = try await Self.raise(client, in: project, title: "After space was freed")
            #expect(recovered.status == .ok, "\(recovered.status) \(recovered.text)")
        }
    }

    @Test("on a database that refuses writes, signed-in reads still answer, and readiness reflects the database")
    func readOnly() async throws {
        let app = try await TestApp.make()
        let log = FaultLog()
        try await Self.serve(app, as: .nationalProgrammeOffice, log: log) { client async throws in
            #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok)
            try await app.store.database.write([SQLStatement("PRAGMA query_only = 1")])
            // A new token's first use would record its last use: that write fails, the read does not.
            let api = try await client.execute(uri: "/api/v1/projects?limit=5", method: .get)
            #expect(api.status == .ok, "\(api.status) \(api.text)")
            let page = try await client.execute(uri: "/projects", method: .get)
            #expect(page.status == .ok)
            #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok, "reads still answer")
        }
    }

    @Test("readiness answers 503 with Retry-After when the database does not answer, without signing in")
    func notReady() async throws {
        let app = try await TestApp.make()
        let log = FaultLog()
        let server = try buildApplication(service: app.service, accounts: app.accounts, configuration: ServerConfiguration(), logger: log.logger)
        try await server.test(.router) { client in
            #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok)
            try await app.store.database.close()
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
        }
    }
}

/// Stops the SQLite file growing and fills the space left inside it (see the storage suite).
func fill(_ database: any SQLDatabase) async throws {
    try await database.write([SQLStatement("CREATE TABLE filler (x BLOB)")])
    let pages = try await database.write([SQLStatement("PRAGMA page_count")])[0][0].int("page_count")
    try await database.write([SQLStatement("PRAGMA max_page_count = \(pages)")])
    for size in [3000, 1000, 300, 100, 30] {
        for _ in 0..<10_000 {
            do {
                try await database.write([SQLStatement("INSERT INTO filler VALUES (randomblob(\(size)))")])
            } catch {
                break
            }
        }
    }
}
