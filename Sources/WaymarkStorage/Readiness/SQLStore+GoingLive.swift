import WaymarkCore

/// A project whose Go-Live Completed milestone falls in a window, with its readiness facts.
public struct GoingLiveRow: Sendable, Hashable {
    public var projectID: Int64
    public var projectCode: String
    public var productCode: String
    public var siteName: String
    public var supplierName: String?
    /// The forecast, or the baseline where there is no forecast.
    public var goLive: Day
    public var facts: ReadinessFacts
}

/// "Which sites go live in the next 90 days, and how ready is each?" (issue 14, part 6).
public protocol GoingLiveRegister: Sendable {
    /// Live projects within `organisation` and `scope` whose Go-Live Completed is not achieved
    /// and falls from `from` to `to`, soonest first, optionally of one product or supplier.
    func goingLive(within organisation: Organisation, scope: AccessScope, from: Day, to: Day,
                   product: String?, supplierID: Int64?) async throws -> [GoingLiveRow]
}

/// One query finds the projects through a covering index on the go-live dates and reads each
/// one's stored readiness facts (`SQLStore+ReadinessFacts.swift`).
extension SQLStore {
    static let goingLiveMigration = Migration(version: 27, name: "go-live dates index") { _ in
        // Covering: the window is found without reading the milestone rows.
        ["CREATE INDEX milestone_due ON milestone (kind, forecast, baseline, actual, project_id)"]
    }

    /// The projects in the window, soonest first: the bench's raw baseline too.
    @_spi(Bench) public static func goingLiveSQL(within organisation: Organisation, scope: AccessScope, from: Day, to: Day,
                                                 product: String?, supplierID: Int64?) -> (sql: String, binds: [SQLValue]) {
        var (conditions, binds) = projectConditions(within: organisation, scope: scope)
        conditions += ["m.kind = 'go-live-completed'", "m.actual IS NULL", "p.state = 'live'",
                       "(m.forecast BETWEEN ? AND ? OR (m.forecast IS NULL AND m.baseline BETWEEN ? AND ?))"]
        let window = [SQLValue.integer(Int64(from.ordinal)), .integer(Int64(to.ordinal))]
        binds += window + window
        if let product {
            conditions.append("p.product_code = ?")
            binds.append(.text(product))
        }
        if let supplierID {
            conditions.append("p.supplier_id = ?")
            binds.append(.integer(supplierID))
        }
        return ("""
            SELECT p.id, p.code, p.product_code, o.name AS site, s.name AS supplier, COALESCE(m.forecast, m.baseline) AS due,
                r.surveys_answered, r.surveys_not_ready, r.showstoppers, r.signed_report, r.checklists, r.checklists_signed,
                r.blocking_hazards, r.safety_signed, r.valid_per_mille
            FROM milestone m JOIN project p ON p.id = m.project_id JOIN organisation o ON o.id = p.organisation_id
            LEFT JOIN organisation s ON s.id = p.supplier_id LEFT JOIN project_readiness r ON r.project_id = p.id
            \(conditions.whereClause) ORDER BY due, p.code
            """, binds)
    }

    public func goingLive(within organisation: Organisation, scope: AccessScope, from: Day, to: Day,
                          product: String?, supplierID: Int64?) async throws -> [GoingLiveRow] {
        let (sql, binds) = Self.goingLiveSQL(within: organisation, scope: scope, from: from, to: to, product: product, supplierID: supplierID)
        return try await database.fetch(sql, binds).map { row in
            GoingLiveRow(projectID: row.int("id"), projectCode: row.string("code"), productCode: row.string("product_code"),
                         siteName: row.string("site"), supplierName: row.optionalString("supplier"), goLive: Day(ordinal: Int(row.int("due"))),
                         facts: Self.facts(row))
        }
    }
}
