import Testing
import WaymarkCore
import WaymarkPostgres
import WaymarkStorage
import WaymarkTestSupport

extension Scratch {
    /// A migrated store, optionally loaded with the fixture programme.
    static func withStore<R>(_ backend: Backend, loaded: Bool = true,
                             _ body: (Scratch) async throws -> R) async throws -> R {
        try await withStore(backend, dataset: loaded ? Fixture.dataset : nil, template: "demo", body)
    }
}

/// Passes when PostgreSQL is configured; shows as skipped, with the reason, when it is not
/// (locally only: under CI it runs and fails).
@Test("PostgreSQL is configured for the contract suite", .enabled(if: Backend.postgresEnabled, Backend.skipNote))
func postgresIsConfigured() async throws {
    let address = try Backend.postgresAddress()
    let database = try await PostgresDatabase.connect(address)
    let rows = try await database.fetch("SELECT current_setting('server_version_num') AS server_version_num", [])
    try await database.close()
    let version = try #require(rows.first.flatMap { Int($0.string("server_version_num")) })
    #expect(version >= 150_000, "PostgreSQL \(version) is older than 15")
}
