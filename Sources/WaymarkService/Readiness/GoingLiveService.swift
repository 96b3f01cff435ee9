import Foundation
import WaymarkCore
import WaymarkStorage

/// "Which sites go live in the next 30, 60 and 90 days, and how ready is each?" at any level
/// (issue 14, part 6): the projects whose Go-Live Completed falls in the window, each scored
/// with its reasons, filtered by product and supplier, and counted by month and band.
public struct GoingLiveService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    public static let windows = [30, 60, 90]

    public struct Entry: Sendable, Hashable {
        public var row: GoingLiveRow
        public var score: ReadinessScore
        public var daysAway: Int
    }

    public struct Outlook: Sendable {
        public var organisation: Organisation
        public var today: Day
        public var days: Int
        public var product: String?
        public var supplier: Organisation?
        public var entries: [Entry]
        /// Projects by 30-day period (0: the next 30 days) and band.
        public var counts: [[ReadinessScore.Band: Int]]
    }

    /// `days` is 30, 60 or 90; `product` a product code; `supplierCode` a supplier's code.
    public func outlook(organisationCode: String, days: Int, product: String?, supplierCode: String?, as user: ActingUser) async throws -> Outlook {
        guard Self.windows.contains(days) else {
            throw ServiceError(.badRequest, "Choose the next 30, 60 or 90 days, not \(days).")
        }
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        var supplier: Organisation?
        if let supplierCode, !supplierCode.isEmpty {
            guard let found = try await store.organisation(code: supplierCode, scope: .national), found.kind == .supplier else {
                throw ServiceError(.refused, "'\(supplierCode.prefix(20))' is not a supplier's code.")
            }
            supplier = found
        }
        let product = product.flatMap { $0.isEmpty ? nil : $0.uppercased() }
        if let product, ProductCatalogue.product(code: product) == nil {
            throw ServiceError(.refused, "'\(product.prefix(20))' is not a product code. The products are: \(ProductCatalogue.all.map(\.code).joined(separator: ", ")).")
        }
        let today = gate.clock.today
        let rows = try await store.goingLive(within: organisation, scope: scope, from: today, to: today.adding(days: days),
                                             product: product, supplierID: supplier?.id)
        var counts = Array(repeating: [ReadinessScore.Band: Int](), count: days / 30)
        let entries = rows.map { row in
            let away = row.goLive.ordinal - today.ordinal
            let entry = Entry(row: row, score: ReadinessScoring.score(row.facts), daysAway: away)
            counts[min(counts.count - 1, max(0, (away - 1) / 30))][entry.score.band, default: 0] += 1
            return entry
        }
        return Outlook(organisation: organisation, today: today, days: days, product: product, supplier: supplier, entries: entries, counts: counts)
    }

    /// The same list as CSV: one row per project, reasons joined with "; ", escaped as the
    /// project export is (no cell a spreadsheet would run).
    public static func csv(_ outlook: Outlook) -> String {
        var lines = ["project,site,product,supplier,go_live,days_away,score,band,reasons"]
        for e in outlook.entries {
            lines.append([e.row.projectCode, e.row.siteName, e.row.productCode, e.row.supplierName ?? "", e.row.goLive.iso, String(e.daysAway),
                          String(e.score.value), e.score.band.rawValue, e.score.reasons.joined(separator: "; ")].map(ProjectCSV.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
