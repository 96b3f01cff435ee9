import Foundation
import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

/// Migration 15 rebuilds `project` on SQLite (a constraint cannot be dropped there). A database
/// already holding projects, milestones and the records that reference them must come through
/// whole, with every reference intact, and then take a second release.
@Suite("Storage contract: the release migration on a database with data")
struct ReleaseMigrationTests {
    @Test("projects and what references them survive the rebuild; a second release of a product can then be stored", arguments: Backend.testable)
    func migrateWithData(backend: Backend) async throws {
        try await Scratch.with(backend) { scratch async throws in
            let db = scratch.database
            try await db.write([SQLStatement("CREATE TABLE waymark_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL)")])
            for migration in Schema.migrations where migration.version < 15 {
                try await db.write(migration.statements(db.dialect).map { SQLStatement($0) }
                    + [SQLStatement("INSERT INTO waymark_migration (version, name) VALUES (?, ?)", [.integer(Int64(migration.version)), .text(migration.name)])])
            }
            try await db.write([
                SQLStatement("INSERT INTO organisation (id, code, name, kind) VALUES (1, 'NPO', 'National', 'national'), (2, 'S1', 'Site', 'site')"),
                SQLStatement("""
                    INSERT INTO project (id, code, product_code, type, organisation_id, site_id, stage, achieved_count, late_mask, complete, open_without_forecast)
                    VALUES (7, 'S1-CRS', 'CRS', 'lsp', 2, 2, 1, 0, 0, 0, 0)
                    """),
                SQLStatement("INSERT INTO milestone (project_id, kind, position, baseline) VALUES (7, 'contract-signed', 0, 13000)"),
            ])
            #expect(try await SQLMigrator(database: db).migrate().contains(15))
            let project = try #require(try await db.fetch("SELECT code, release, state FROM project WHERE id = 7", []).first)
            #expect(project.string("code") == "S1-CRS" && project.int("release") == 1 && project.string("state") == "live")
            #expect(try await scratch.count("milestone") == 1)
            // The milestone still references project 7: a milestone for a missing project is refused.
            await #expect(throws: (any Error).self) {
                try await db.write([SQLStatement("INSERT INTO milestone (project_id, kind, position) VALUES (99, 'contract-signed', 0)")])
            }
            try await db.write([SQLStatement("""
                INSERT INTO project (id, code, product_code, type, organisation_id, site_id, stage, achieved_count, late_mask, complete,
                                     open_without_forecast, release) VALUES (8, 'S1-CRS-R2', 'CRS', 'lsp', 2, 2, 1, 0, 0, 0, 0, 2)
                """)])
            await #expect(throws: (any Error).self, "release 2 once only") {
                try await db.write([SQLStatement("""
                    INSERT INTO project (id, code, product_code, type, organisation_id, site_id, stage, achieved_count, late_mask, complete,
                                         open_without_forecast, release) VALUES (9, 'S1-CRS-X', 'CRS', 'lsp', 2, 2, 1, 0, 0, 0, 0, 2)
                    """)])
            }
        }
    }
}
