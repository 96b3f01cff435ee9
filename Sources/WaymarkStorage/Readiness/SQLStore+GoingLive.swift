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

/// One query finds the projects by the milestone index; then one statement per 4,000 of them
/// reads every kind of fact.
extension SQLStore {
    static let goingLiveMigration = Migration(version: 27, name: "go-live dates index") { _ in
        // Covering: the window is found without reading the milestone rows.
        ["CREATE INDEX milestone_due ON milestone (kind, forecast, baseline, actual, project_id)"]
    }

    /// Ids per facts statement: seven parts of 4,000 binds stay under SQLite's 32,766.
    static let factBatch = 4_000

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
            SELECT p.id, p.code, p.product_code, o.name AS site, s.name AS supplier, COALESCE(m.forecast, m.baseline) AS due
            FROM milestone m JOIN project p ON p.id = m.project_id JOIN organisation o ON o.id = p.organisation_id
            LEFT JOIN organisation s ON s.id = p.supplier_id \(conditions.whereClause) ORDER BY due, p.code
            """, binds)
    }

    public func goingLive(within organisation: Organisation, scope: AccessScope, from: Day, to: Day,
                          product: String?, supplierID: Int64?) async throws -> [GoingLiveRow] {
        let (sql, binds) = Self.goingLiveSQL(within: organisation, scope: scope, from: from, to: to, product: product, supplierID: supplierID)
        var rows = try await database.fetch(sql, binds).map { row in
            GoingLiveRow(projectID: row.int("id"), projectCode: row.string("code"), productCode: row.string("product_code"),
                         siteName: row.string("site"), supplierName: row.optionalString("supplier"), goLive: Day(ordinal: Int(row.int("due"))),
                         facts: ReadinessFacts())
        }
        var index: [Int64: Int] = [:]
        for (i, row) in rows.enumerated() { index[row.projectID] = i }
        var start = 0
        while start < rows.count {
            let ids = rows[start..<min(rows.count, start + Self.factBatch)].map { SQLValue.integer($0.projectID) }
            start += Self.factBatch
            try await readFacts(ids) { id, apply in if let i = index[id] { apply(&rows[i].facts) } }
        }
        return rows
    }

    /// Reads every kind of fact for the projects `ids` in one statement (a UNION ALL, one part
    /// per kind), handing each row to `update`: a few statements for thousands of projects.
    func readFacts(_ ids: [SQLValue], _ update: (Int64, (inout ReadinessFacts) -> Void) -> Void) async throws {
        let list = "(" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")"
        let parts = [
            "SELECT project_id, 'survey' AS fact, COUNT(*) AS a, SUM(CASE WHEN overall = 'not-ready' THEN 1 ELSE 0 END) AS b FROM survey_response WHERE project_id IN \(list) GROUP BY project_id",
            "SELECT project_id, 'showstopper', COUNT(*), 0 FROM tracking_item WHERE project_id IN \(list) AND status = 'open' AND rating_priority = 1 GROUP BY project_id",
            "SELECT DISTINCT project_id, 'report', 1, 0 FROM readiness_report WHERE project_id IN \(list) AND signed_by IS NOT NULL",
            """
            SELECT c.project_id, 'checklist', COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM go_live_checklist_item i
                WHERE i.checklist_id = c.id AND i.signed_by IS NULL) THEN 1 ELSE 0 END) FROM go_live_checklist c WHERE c.project_id IN \(list) GROUP BY c.project_id
            """,
            // Residual ratings of open hazards, as severity * 10 + likelihood; Swift applies the matrix.
            "SELECT project_id, 'hazard', residual_severity * 10 + residual_likelihood, 0 FROM hazard WHERE project_id IN \(list) AND status = 'open'",
            "SELECT DISTINCT project_id, 'safety', 1, 0 FROM safety_signoff WHERE project_id IN \(list)",
            // The latest check per project.
            """
            SELECT d.project_id, 'quality', d.records, d.valid FROM data_quality_check d WHERE d.project_id IN \(list)
                AND d.id = (SELECT MAX(l.id) FROM data_quality_check l WHERE l.project_id = d.project_id)
            """,
        ]
        let rows = try await database.fetch(parts.joined(separator: "\nUNION ALL\n"), Array(repeating: ids, count: parts.count).flatMap { $0 })
        for row in rows {
            let a = Int(row.int("a")), b = Int(row.int("b"))
            update(row.int("project_id")) { facts in
                switch row.string("fact") {
                case "survey": facts.surveysAnswered = a; facts.surveysNotReady = b
                case "showstopper": facts.showstoppers = a
                case "report": facts.signedReport = true
                case "checklist": facts.checklists = a; facts.checklistsSignedOff = b
                case "hazard":
                    if let severity = HazardSeverity(rawValue: a / 10), let likelihood = HazardLikelihood(rawValue: a % 10),
                       !ClinicalRiskRating(severity: severity, likelihood: likelihood).isAcceptable { facts.blockingHazards += 1 }
                case "safety": facts.safetySigned = true
                case "quality": facts.validPerMille = a == 0 ? 0 : b * 1000 / a
                default: break
                }
            }
        }
    }
}
