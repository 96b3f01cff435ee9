import ArgumentParser
import WaymarkCore
import WaymarkService
import WaymarkServer
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// Change control at England scale, each beside the raw SQL that reads its rows: the DIP
    /// performance page for a cluster (query, the Core computation and the SVG page) and a
    /// cluster's list of Change Control Notes.
    func benchChangeControl(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        let service = ChangeControlService(programme: ProgrammeService(store: store, clock: .fixed(today)))
        let user = ActingUser.commandLine(origin: "bench")
        guard let cluster = try await store.organisation(code: "CNW", scope: .national) else {
            throw ValidationError("The seeded data has no CNW cluster.")
        }
        let year = FinancialYear(containing: today)
        let rows = try await store.dipProgress(year: year, dipID: nil, within: cluster, scope: .national).count
        let progress = SQLStore.dipProgressSQL(year: year, within: cluster, scope: .national)
        let pages = try await PageClient.start(store: store, clock: .fixed(today))
        defer { pages.stop() }
        let page = try await median(iterations) { _ = try await pages.get("/organisations/\(cluster.code)/dip?year=\(year.label)") }
        let pageRaw = try await median(iterations) { try await raw.fetch(progress.sql, progress.binds) }
        report.add(name, "DIP performance page, a cluster, served (\(rows.formatted()) rows, median)", page, pageRaw, goal: "<= 100 ms", pass: page <= 0.1)

        let query = ChangeNoteQuery(scope: .national, within: cluster, limit: 50)
        let listSQL = SQLStore.changeNoteListSQL(query)
        let list = try await median(iterations) { _ = try await service.notes(organisationCode: cluster.code, state: nil, after: nil, as: user) }
        let listRaw = try await median(iterations) { try await raw.fetch(listSQL.sql, listSQL.binds) }
        report.add(name, "CCN list of 50 for a cluster, with counts (median)", list, listRaw, goal: nil, pass: nil)
    }
}
