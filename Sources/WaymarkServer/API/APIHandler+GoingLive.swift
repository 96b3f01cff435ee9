import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// The going-live list over the API (issue 14, part 6): the page's list and counts as JSON.
extension APIHandler {
    func getGoingLive(_ input: Operations.getGoingLive.Input) async throws -> Operations.getGoingLive.Output {
        let days = input.query.days.map { $0.rawValue } ?? 90
        let o = try await GoingLiveService(programme: service).outlook(organisationCode: input.path.code, days: days, product: input.query.product,
                                                                      supplierCode: input.query.supplier, as: user)
        return .ok(.init(body: .json(.init(
            days: o.days, asOf: o.today.iso,
            counts: o.counts.enumerated().map { i, b in
                .init(fromDay: i * 30 + 1, toDay: (i + 1) * 30, ready: b[.ready] ?? 0, atRisk: b[.atRisk] ?? 0, notReady: b[.notReady] ?? 0)
            },
            items: o.entries.map { e in
                .init(project: e.row.projectCode, site: e.row.siteName, product: e.row.productCode, supplier: e.row.supplierName,
                      goLive: e.row.goLive.iso, daysAway: e.daysAway, score: e.score.value, band: .init(rawValue: e.score.band.rawValue) ?? .not_hyphen_ready,
                      reasons: e.score.reasons)
            }))))
    }
}
