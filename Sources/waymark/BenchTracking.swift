import ArgumentParser
import WaymarkCore
import WaymarkServer
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// The registers at England scale (about 150,000 risks and issues): the national heat map
    /// page, a cluster's, a register page and the overdue list, each beside its raw SQL.
    func benchTracking(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        let tracking = TrackingService(programme: ProgrammeService(store: store))
        let user = ActingUser.commandLine(origin: "bench")
        guard let national = try await store.national(), let cluster = try await store.organisation(code: "CNW", scope: .national) else {
            throw ValidationError("The seeded data has no national programme.")
        }
        let pages = try await PageClient.start(store: store, clock: .fixed(today))
        defer { pages.stop() }
        for (label, organisation, goal) in [("national", national, 0.05), ("cluster", cluster, 0.05)] {
            let sql = SQLStore.heatMapSQL(within: organisation, kind: .risk, scope: .national)
            let page = try await median(iterations) { _ = try await pages.get("/organisations/\(organisation.code)/register/heatmap") }
            let rawTime = try await median(iterations) { try await raw.fetch(sql.sql, sql.binds) }
            report.add(name, "\(label) risk heat map page, served (median)", page, rawTime, goal: "<= 50 ms", pass: page <= goal)
        }
        // One trust's register page of 50, and a cluster's overdue reviews and actions.
        let trust = try await store.organisations(OrganisationQuery(scope: .national, kind: .trust, limit: 1)).items[0]
        let register = try await tracking.register(.organisation(trust.code), for: .viewRecords, as: user)
        let listSQL = SQLStore.registerListSQL(TrackingQuery(scope: .national, within: trust, status: .open, limit: 50))
        let list = try await median(iterations) {
            _ = try await tracking.items(in: register, filter: TrackingQuery(status: .open, limit: 50), below: true, as: user)
        }
        let listRaw = try await median(iterations) {
            try await raw.fetch(listSQL.sql, listSQL.binds)
        }
        report.add(name, "register page of 50, trust subtree (median)", list, listRaw, goal: nil, pass: nil)
        let clusterRegister = try await tracking.register(.organisation(cluster.code), for: .viewRecords, as: user)
        let overdue = try await median(iterations) {
            _ = try await tracking.items(in: clusterRegister, filter: TrackingQuery(overdueOn: today, limit: 50), below: true, as: user)
        }
        let overdueSQL = SQLStore.registerListSQL(TrackingQuery(scope: .national, within: cluster, overdueOn: today, limit: 50))
        let overdueRaw = try await median(iterations) { try await raw.fetch(overdueSQL.sql, overdueSQL.binds) }
        report.add(name, "overdue reviews and actions, cluster, first 50 (median)", overdue, overdueRaw, goal: nil, pass: nil)
    }
}
