import WaymarkCore

/// How far a named seed (the demo) got.
public enum SeedState: Sendable, Hashable {
    /// Its data was loaded but the steps after the load did not all finish.
    case partial
    case complete
}

/// A seed is loaded in one transaction together with a `seed_run` row saying it has started;
/// the steps after the load (demo documents, demo users) run through the services, each in its
/// own transaction, and the row is marked complete only once they have all run. A start that
/// finds a partial seed discards the whole database and seeds again: the row was written with
/// the very first data, so nothing else can be in it. See docs/design/storage.md.
extension SQLStore {
    static let seedMigration = Migration(version: 11, name: "seed marker") { _ in
        ["CREATE TABLE seed_run (name TEXT PRIMARY KEY, completed INTEGER NOT NULL)"]
    }

    public func seedState(_ name: String) async throws -> SeedState? {
        try await database.fetch("SELECT completed FROM seed_run WHERE name = ?", [.text(name)]).first
            .map { $0.int("completed") == 0 ? .partial : .complete }
    }

    public func markSeedComplete(_ name: String) async throws {
        try await database.write([SQLStatement("UPDATE seed_run SET completed = 1 WHERE name = ? RETURNING name", [.text(name)],
                                               expectedRows: 1, onMismatch: .notFound)])
    }

    /// Drops every table and migrates afresh, only when `name` is a partial seed.
    public func discardPartialSeed(_ name: String) async throws {
        guard try await seedState(name) == .partial else {
            throw StorageError(.notEmpty, "The database holds data that is not a partial '\(name)' seed; it is left as it is.")
        }
        var statements: [SQLStatement] = []
        switch database.dialect {
        case .sqlite:
            // Triggers, then virtual tables (which take their shadow tables with them), then the
            // rest, children first (creation order reversed). A table rebuilt by a migration comes
            // after its children, so foreign keys are checked only at the commit, by when every
            // table has gone.
            statements.append(SQLStatement("PRAGMA defer_foreign_keys = ON"))
            for row in try await database.fetch(
                """
                SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'table') AND name NOT LIKE 'sqlite_%'
                ORDER BY type = 'table', sql NOT LIKE 'CREATE VIRTUAL%', rowid DESC
                """, []) {
                statements.append(SQLStatement("DROP \(row.string("type").uppercased()) IF EXISTS \"\(row.string("name"))\""))
            }
        case .postgres:
            let tables = try await database.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", [])
                .map { "\"\($0.string("tablename"))\"" }
            if !tables.isEmpty { statements.append(SQLStatement("DROP TABLE IF EXISTS \(tables.joined(separator: ", ")) CASCADE")) }
            statements.append(SQLStatement("DROP FUNCTION IF EXISTS waymark_refuse_audit_change() CASCADE"))
        }
        try await database.write(statements)
        try await migrate()
    }
}
