import Foundation
import GRDB
import WaymarkCore
import WaymarkService
import WaymarkSQLite
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// Importing the national hierarchy from an ODS-style CSV (issue 13): every organisation of
    /// the England dataset below the national programme, through the service (parse, plan,
    /// checks, one transaction, one audit entry), beside the same rows inserted raw in one
    /// transaction. Each side starts from a scratch SQLite file holding only the national programme.
    func benchOrganisations(_ dataset: ProgrammeDataset, into report: inout BenchReport) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-orgs-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let national = dataset.organisations.first(where: { $0.kind == .national }) else { return }
        // England's generated hierarchy, topped up with sites under its trusts to a national
        // register's size (about 30,000 organisations, as ODS lists for the NHS in England).
        var organisations = dataset.organisations.filter { $0.kind != .national && $0.kind != .supplier }
        let trusts = organisations.filter { $0.kind == .trust }
        var nextID = (dataset.organisations.map(\.id).max() ?? 0) + 1
        while organisations.count < 30_000, !trusts.isEmpty {
            let trust = trusts[organisations.count % trusts.count]
            organisations.append(Organisation(id: nextID, code: "ZS\(nextID)", name: "Branch surgery \(nextID)", kind: .site,
                                              subtype: "GP practice", parentID: trust.id,
                                              ancestry: trust.ancestry.extended(with: nextID, kind: .site), openedOn: Day(iso: "2004-04-01")))
            nextID += 1
        }
        let csv = OrganisationImport.extract(organisations.map { o in
            var opened = o
            opened.openedOn = opened.openedOn ?? Day(iso: "2004-04-01")
            return opened
        }, parentCodes: [national.id: national.code])
        func scratch(_ name: String) async throws -> (SQLStore, SQLiteDatabase) {
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("\(name).sqlite").path)
            let store = SQLStore(database: database)
            try await store.migrate()
            var seed = ProgrammeDataset()
            seed.organisations = [national]
            try await store.load(seed) { _, _ in }
            return (store, database)
        }
        print("[organisations] importing \(organisations.count.formatted()) organisations from CSV ...")
        let (store, _) = try await scratch("import")
        let service = OrganisationService(programme: ProgrammeService(store: store, clock: .fixed(today)))
        let data = Data(csv.utf8)
        let imported = try await time {
            let applied = try await service.applyImport(data, expectedFingerprint: nil, as: .commandLine(origin: "bench"))
            precondition(applied.plan.additions.count == organisations.count)
        }
        let (_, rawDatabase) = try await scratch("raw")
        var seed = ProgrammeDataset()
        seed.organisations = organisations
        let statements = SQLStore.loadTables(seed).first { $0.table == "organisation" }.map { table in
            table.rows.map { SQLStatement("INSERT INTO organisation (\(table.columns.joined(separator: ", "))) VALUES ("
                                          + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")", $0) }
        } ?? []
        let raw = try await time { try await RawSQLite(pool: rawDatabase.pool).write(statements) }
        report.add("sqlite", "import \(organisations.count.formatted()) organisations from CSV (preview checks + one transaction)",
                   imported, raw, goal: "<= 10 s", pass: imported <= 10)
        report.rows[report.rows.count - 1].raw += " (INSERT each row)"
    }
}
