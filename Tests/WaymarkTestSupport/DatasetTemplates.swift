import Foundation
import WaymarkCore
import WaymarkPostgres
import WaymarkSQLite
import WaymarkStorage

/// A dataset loaded once per test process and backend, then copied for each test: a file copy on
/// SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. Loading the demo programme for every
/// one of ~140 tests was most of the suite's database time.
public actor DatasetTemplates {
    public static let shared = DatasetTemplates()

    /// Where a template lives: a SQLite file path or a PostgreSQL database name.
    private var made: [String: Task<String, any Error>] = [:]

    public func template(_ key: String, backend: Backend, dataset: ProgrammeDataset) async throws -> String {
        let id = "\(backend.rawValue)-\(key)"
        if let task = made[id] { return try await task.value }
        let task = Task {
            switch backend {
            case .sqlite: try await Self.makeSQLite(key, dataset)
            case .postgres: try await Self.makePostgres(key, dataset)
            }
        }
        made[id] = task
        return try await task.value
    }

    private static func makeSQLite(_ key: String, _ dataset: ProgrammeDataset) async throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("waymark-template-\(key)-\(UUID().uuidString).sqlite").path
        let store = try await SQLiteDatabase.openStore(path: path)
        try await store.load(dataset, progress: nil)
        // Closing the last connection checkpoints the WAL into the file, so one file is the whole database.
        try await store.database.close()
        return path
    }

    private static func makePostgres(_ key: String, _ dataset: ProgrammeDataset) async throws -> String {
        let admin = try Backend.postgresAddress()
        let name = "wm_tpl_\(key)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let adminDatabase = try await PostgresDatabase.connect(admin, connectionWait: Backend.connectionWait)
        defer { Task { try? await adminDatabase.close() } }
        _ = try await adminDatabase.fetch("CREATE DATABASE \(name)", [])
        var address = admin
        address.database = name
        let store = try await PostgresDatabase.openStore(address, connectionWait: Backend.connectionWait)
        try await store.load(dataset, progress: nil)
        try await store.database.close()
        // A template must have no sessions; refusing new ones and ending any left over (the pool
        // closes asynchronously) makes each copy safe, as template0 is.
        _ = try await adminDatabase.fetch("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false", [])
        _ = try await adminDatabase.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()", [])
        return name
    }

    /// Copies the SQLite template (and any WAL beside it) to `path`.
    public static func copySQLite(_ template: String, to path: String) throws {
        let files = FileManager.default
        for suffix in ["", "-wal"] where files.fileExists(atPath: template + suffix) {
            try files.copyItem(atPath: template + suffix, toPath: path + suffix)
        }
    }
}
