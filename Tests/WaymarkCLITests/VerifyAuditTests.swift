import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkSQLite
import WaymarkStorage

@Suite("waymark verify audit")
struct VerifyAuditTests {
    @Test("reports an intact chain, then names the entry edited behind Waymark's back")
    func verify() async throws {
        let database = CLI.temporaryDatabase()
        #expect(try CLI.run("seed", "--demo", "--database", database).status == 0)
        let path = String(database.dropFirst("sqlite:".count))
        let store = try await SQLiteDatabase.openStore(path: path)
        let service = ProgrammeService(store: store)
        // The demo seed audits its documents and gates; three milestone changes follow them.
        let seeded = try await store.database.fetch("SELECT COUNT(*) AS entries FROM audit_entry", []).first?.int("entries") ?? -1
        let open = try #require(try await store.projects(ProjectQuery(scope: .national, type: .lsp, stage: .prepare, limit: 5)).items.first)
        for days in [30, 31, 32] {
            _ = try await service.recordMilestoneDates(projectCode: open.project.code, RecordMilestoneDates(dates: [.initiationCommenced: MilestoneDates(forecast: service.clock.today.adding(days: days), actual: nil)], expectedVersion: nil), as: .commandLine(origin: "tests"))
        }
        let intact = try CLI.run("verify", "audit", "--database", database)
        #expect(intact.status == 0)
        #expect(intact.stdout.contains("Audit chain intact: \(seeded + 3) entries"))

        let ids = try await store.database.fetch("SELECT id FROM audit_entry ORDER BY id", []).map { $0.int("id") }
        try #require(ids.count == seeded + 3)
        let second = ids[ids.count - 2]
        try await store.database.write([SQLStatement("DROP TRIGGER audit_entry_no_update"),
                                        SQLStatement("UPDATE audit_entry SET after_state = '[]' WHERE id = ?", [.integer(second)])])
        try await store.database.close()
        let broken = try CLI.run("verify", "audit", "--database", database)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("entry \(second) was changed after it was written"))
    }
}
