import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// The national "going live in the next 90 days" page (issue 14): served by the real
    /// application, against the query that finds the projects alone, raw.
    func benchReadiness(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        guard let national = try await store.national() else { throw ValidationError("The seeded data has no national programme.") }
        let service = GoingLiveService(programme: ProgrammeService(store: store, clock: .fixed(today)))
        let outlook = try await service.outlook(organisationCode: national.code, days: 90, product: nil, supplierCode: nil,
                                                as: .commandLine(origin: "bench"))
        let scored = outlook.entries.filter { $0.row.facts.surveysAnswered > 0 }.count
        print("[\(name)] going live in 90 days: \(outlook.entries.count.formatted()) projects, \(scored.formatted()) with readiness records")
        let pages = try await PageClient.start(store: store, clock: .fixed(today))
        defer { pages.stop() }
        let sql = SQLStore.goingLiveSQL(within: national, scope: .national, from: today, to: today.adding(days: 90), product: nil, supplierID: nil)
        let page = try await median(iterations) { _ = try await pages.get("/organisations/\(national.code)/going-live?days=90") }
        let rawTime = try await median(iterations) { try await raw.fetch(sql.sql, sql.binds) }
        report.add(name, "national going-live page, 90 days, \(outlook.entries.count.formatted()) projects scored, served (median)", page, rawTime,
                   goal: "<= 100 ms", pass: page <= 0.1)
    }
}
