import ArgumentParser
import WaymarkStorage

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let url = try DatabaseURL(parsing: options.url)
        let store = try await StoreOpener.open(options.url)
        let pending = try await SQLMigrator(database: store.database).pendingVersions()
        print("Database \(url) is at schema version \(Schema.migrations.last?.version ?? 0)\(pending.isEmpty ? "" : "; pending: \(pending)").")
    }
}
