import Foundation
import Testing
import WaymarkCore
import WaymarkPostgres
import WaymarkSQLite
import WaymarkStorage

/// The storage backends the contract suites (storage and server) run on. Every contract test takes one as its argument,
/// so the same test body checks SQLite and PostgreSQL.
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// Set by `scripts/test`, which starts a throwaway PostgreSQL 15 cluster.
    public static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["WAYMARK_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }()

    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// PostgreSQL cases run whenever a server is given, and always under CI, where a missing
    /// server is a failure, never a skip.
    public static let postgresEnabled = postgresURL != nil || isCI

    /// The backends to run: PostgreSQL is left out only on a developer's machine without a server.
    public static let testable: [Backend] = {
        if postgresEnabled { return allCases }
        print("""
            ⚠️  WAYMARK_TEST_POSTGRES_URL is not set: the PostgreSQL storage contract cases are SKIPPED. \
            Run scripts/test to run them against a throwaway PostgreSQL 15 cluster.
            """)
        return [.sqlite]
    }()

    public static let skipNote: Comment = "WAYMARK_TEST_POSTGRES_URL is not set; run scripts/test to include PostgreSQL"

    public static func postgresAddress() throws -> DatabaseURL.PostgresAddress {
        guard let url = postgresURL else {
            throw HarnessError("""
                WAYMARK_TEST_POSTGRES_URL is not set, and under CI the PostgreSQL contract tests must run. \
                Run the tests with scripts/test, which starts a throwaway PostgreSQL 15 cluster.
                """)
        }
        guard case .postgres(let address) = try DatabaseURL(parsing: url) else {
            throw HarnessError("WAYMARK_TEST_POSTGRES_URL must be a postgres:// URL")
        }
        return address
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A brand-new, empty database on one backend (no migrations applied), deleted afterwards:
/// a temporary file for SQLite, a uniquely named database for PostgreSQL.
public struct Scratch: Sendable {
    public let backend: Backend
    public let database: any SQLDatabase
    /// Opens the same database again through the backend's `openStore`, as the app does.
    public let openStore: @Sendable () async throws -> SQLStore

    public var store: SQLStore { SQLStore(database: database) }

    public func count(_ table: String) async throws -> Int64 {
        try await database.fetch("SELECT COUNT(*) AS records FROM \(table)", []).first?.int("records") ?? -1
    }

    /// Row counts of every table a write could touch, to check that a failed write changed nothing.
    public func counts() async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for table in ["organisation", "supplier_contract", "project", "milestone", "audit_entry", "app_user", "user_session", "api_token",
                      "project_catalogue", "project_document", "document_version", "document_comment", "document_file", "gate_decision",
                      "hazard", "safety_signoff"] {
            result[table] = try await count(table)
        }
        return result
    }

    /// A scratch database, empty or a copy of `template` (from `DatasetTemplates`).
    public static func with<R>(_ backend: Backend, copying template: String? = nil,
                               _ body: (Scratch) async throws -> R) async throws -> R {
        let limiter = backend == .sqlite ? ScratchLimiter.sqlite : ScratchLimiter.postgres
        await limiter.acquire()
        do {
            let result = switch backend {
            case .sqlite: try await withSQLite(template, body)
            case .postgres: try await withPostgres(template, body)
            }
            await limiter.release()
            return result
        } catch {
            await limiter.release()
            throw error
        }
    }

    /// A migrated store, loaded with `dataset` when one is given. With a `template` name the
    /// dataset is loaded once per process and backend and each test gets a copy of it.
    public static func withStore<R>(_ backend: Backend, dataset: ProgrammeDataset?, template: String? = nil,
                                    _ body: (Scratch) async throws -> R) async throws -> R {
        if let dataset, let template {
            let copy = try await DatasetTemplates.shared.template(template, backend: backend, dataset: dataset)
            return try await with(backend, copying: copy, body)
        }
        return try await with(backend) { scratch async throws in
            try await scratch.store.migrate()
            if let dataset { try await scratch.store.load(dataset, progress: nil) }
            return try await body(scratch)
        }
    }

    private static func withSQLite<R>(_ template: String?, _ body: (Scratch) async throws -> R) async throws -> R {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("waymark-test-\(UUID().uuidString).sqlite").path
        if let template { try DatasetTemplates.copySQLite(template, to: path) }
        let database = try SQLiteDatabase(path: path)
        let scratch = Scratch(backend: .sqlite, database: database) {
            try await SQLiteDatabase.openStore(path: path)
        }
        func cleanUp() async {
            try? await database.close()
            for suffix in ["", "-wal", "-shm", "-files"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        do {
            let result = try await body(scratch)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }

    private static func withPostgres<R>(_ template: String?, _ body: (Scratch) async throws -> R) async throws -> R {
        let admin = try Backend.postgresAddress()
        let name = "wm_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let adminDatabase = try await PostgresDatabase.connect(admin, connectionWait: Backend.connectionWait)
        var address = admin
        address.database = name
        let database: PostgresDatabase
        do {
            _ = try await adminDatabase.fetch("CREATE DATABASE \(name)\(template.map { " TEMPLATE \($0)" } ?? "")", [])
            database = try await PostgresDatabase.connect(address, connectionWait: Backend.connectionWait)
        } catch {
            try? await adminDatabase.close()
            throw error
        }
        let scratch = Scratch(backend: .postgres, database: database) { [address] in
            try await PostgresDatabase.openStore(address, connectionWait: Backend.connectionWait)
        }
        func cleanUp() async {
            try? await database.close()
            _ = try? await adminDatabase.fetch("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", [])
            try? await adminDatabase.close()
        }
        do {
            let result = try await body(scratch)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }
}

/// A second connection to a scratch database, closed when `body` ends.
public func withReopened<R>(_ scratch: Scratch, _ body: (SQLStore) async throws -> R) async throws -> R {
    let store = try await scratch.openStore()
    do {
        let result = try await body(store)
        try? await store.database.close()
        return result
    } catch {
        try? await store.database.close()
        throw error
    }
}


/// Bounds how many scratch databases exist at once. Swift Testing starts every suite together;
/// on two cores dozens of concurrent demo loads only add memory and lock contention, and once
/// starved PostgreSQL took over 90 s to accept a connection. A few at a time keeps both cores busy.
/// Never open a scratch inside another one: nested waits could exhaust the slots.
actor ScratchLimiter {
    static let sqlite = ScratchLimiter(slots: 4)
    static let postgres = ScratchLimiter(slots: 3)

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { available = slots }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}

extension Backend {
    /// How long a test waits for a PostgreSQL connection. A loaded 2-core CI machine can take
    /// longer than production's 5 s to open a pool; only PostgresConnectionWaitTests tests the bound.
    public static let connectionWait: Duration = .seconds(60)
}
