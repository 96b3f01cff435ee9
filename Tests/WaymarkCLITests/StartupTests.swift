import Foundation
import Testing
import WaymarkCore
import WaymarkSQLite
import WaymarkStorage

/// Starting on a database that cannot serve, and a demo seed that stopped part way (issue 12).
@Suite("waymark startup")
struct StartupTests {
    @Test("a demo seed interrupted after its load is discarded and completed by the next seed")
    func interruptedDemoSeed() async throws {
        let database = CLI.temporaryDatabase()
        let path = String(database.dropFirst("sqlite:".count))
        do {
            // What a crash part way through the first `serve --demo` leaves: the load committed,
            // the demo documents not all written.
            let store = try await SQLiteDatabase.openStore(path: path)
            var generator = ProgrammeGenerator(scale: .demo, today: Day(iso: "2026-11-24")!)
            try await store.load(generator.generate(), seed: "demo", progress: nil)
            #expect(try await store.seedState("demo") == .partial)
            try await store.database.close()
        }
        let resumed = try CLI.run("seed", "--demo", "--database", database)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("stopped part way"))
        #expect(resumed.stdout.contains("Drafted, approved and gated"))

        let fresh = CLI.temporaryDatabase()
        #expect(try CLI.run("seed", "--demo", "--database", fresh).status == 0)
        let store = try await SQLiteDatabase.openStore(path: path)
        let reference = try await SQLiteDatabase.openStore(path: String(fresh.dropFirst("sqlite:".count)))
        #expect(try await store.seedState("demo") == .complete)
        for table in ["organisation", "project", "tracking_item", "project_document", "gate_decision", "audit_entry"] {
            let count = "SELECT COUNT(*) AS records FROM \(table)"
            #expect(try await store.database.fetch(count, [])[0].int("records")
                    == reference.database.fetch(count, [])[0].int("records"), "\(table)")
        }
        #expect(try await store.verifyAuditChain().isIntact)
        #expect(try CLI.run("seed", "--demo", "--database", database).status != 0, "a complete demo is never seeded again")
    }

    @Test("serve refuses a database file it cannot write, with a clear message and a non-zero exit",
          .enabled(if: getuid() != 0, "root writes to read-only files; run as another user"))
    func readOnlyDatabase() throws {
        let database = CLI.temporaryDatabase()
        let path = String(database.dropFirst("sqlite:".count))
        #expect(try CLI.run("migrate", "--database", database).status == 0)
        #expect(chmod(path, 0o444) == 0)
        defer { chmod(path, 0o644) }
        let result = try CLI.run("serve", "--port", "0", "--database", database)
        #expect(result.status != 0)
        #expect(result.stderr.contains("Refusing to start"), "\(result.stderr)")
    }
}
