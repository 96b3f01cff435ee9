import WaymarkCore

extension SQLStore {
    static let projectColumns = """
        p.id, p.code, p.product_code, p.type, p.organisation_id, p.supplier_id, p.cluster_id, p.sha_id, p.lhc_id, \
        p.trust_id, p.site_id, p.version, o.code AS organisation_code, o.name AS organisation_name, s.name AS supplier_name, \
        p.complete, p.worst_open_slippage, \
        p.earliest_open_forecast, p.open_without_forecast, p.stage, p.release, p.state, p.state_on, p.state_reason
        """
    static let projectFrom = """
        FROM project p JOIN organisation o ON o.id = p.organisation_id LEFT JOIN organisation s ON s.id = p.supplier_id
        """

    /// The filtered project list as SQL, public so `waymark bench` can time the same query raw.
    @_spi(Bench) public static func projectListSQL(_ query: ProjectQuery) -> (sql: String, binds: [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = ScopeSQL.projects(query.scope, prefix: "p.") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if let within = query.within {
            if within.kind == .supplier {
                conditions.append("p.supplier_id = ?")
                binds.append(.integer(within.id))
            } else if let column = ancestryColumn(within.kind) {
                conditions.append("p.\(column) = ?")
                binds.append(.integer(within.id))
            }
        }
        if let ids = query.organisationIDs {
            conditions.append("p.organisation_id IN (\(ids.isEmpty ? "NULL" : Array(repeating: "?", count: ids.count).joined(separator: ", ")))")
            binds += ids.map { .integer($0) }
        }
        if let product = query.productCode {
            conditions.append("p.product_code = ?")
            binds.append(.text(product.uppercased()))
        }
        if let type = query.type {
            conditions.append("p.type = ?")
            binds.append(.text(type.rawValue))
        }
        if let stage = query.stage {
            conditions.append("p.stage = ?")
            binds.append(.integer(Int64(stage.rawValue)))
        }
        if let text = query.text?.trimmed, !text.isEmpty {
            conditions.append("(lower(p.code) LIKE ? ESCAPE '\\' OR lower(o.name) LIKE ? ESCAPE '\\')")
            binds += [likePattern(text), likePattern(text)]
        }
        if query.withPlan { conditions.append("p.id IN (SELECT project_id FROM plan)") }
        if let after = query.after {
            conditions.append("p.id > ?")
            binds.append(.integer(after))
        }
        let limit = max(1, min(query.limit, 500))
        let sql = "SELECT \(projectColumns) \(projectFrom)" + conditions.whereClause + " ORDER BY p.id LIMIT \(limit + 1)"
        return (sql, binds)
    }

    public func projects(_ query: ProjectQuery) async throws -> Page<ProjectListing> {
        let (sql, binds) = Self.projectListSQL(query)
        let rows = try await database.fetch(sql, binds)
        let limit = max(1, min(query.limit, 500))
        let page = Array(rows.prefix(limit))
        let listings = query.includeMilestones ? try await withMilestones(page) : page.map { Self.listing(from: $0, milestones: []) }
        return Page(items: listings, nextCursor: rows.count > limit ? listings.last?.project.id : nil)
    }

    public func project(code: String, scope: AccessScope) async throws -> ProjectListing? {
        var conditions = ["p.code = ?"]
        var binds: [SQLValue] = [.text(code.uppercased())]
        if let scoped = ScopeSQL.projects(scope, prefix: "p.") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        let rows = try await database.fetch("SELECT \(Self.projectColumns) \(Self.projectFrom)" + conditions.whereClause, binds)
        return try await withMilestones(rows).first
    }

    public func unscopedProjectID(code: String) async throws -> Int64? {
        try await database.fetch("SELECT id FROM project WHERE code = ?", [.text(code.uppercased())]).first?.int("id")
    }

    /// Reads the milestones for a page of project rows in one query.
    private func withMilestones(_ rows: [SQLRow]) async throws -> [ProjectListing] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0.int("id") }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        var milestones: [Int64: [Milestone]] = [:]
        for row in try await database.fetch(
            "SELECT project_id, kind, baseline, forecast, actual, version FROM milestone WHERE project_id IN (\(marks)) ORDER BY project_id, position",
            ids.map { .integer($0) }) {
            guard let kind = MilestoneKind(rawValue: row.string("kind")) else { continue }
            milestones[row.int("project_id"), default: []].append(Milestone(
                kind: kind, baseline: row.optionalInt("baseline").map { Day(ordinal: Int($0)) },
                forecast: row.optionalInt("forecast").map { Day(ordinal: Int($0)) },
                actual: row.optionalInt("actual").map { Day(ordinal: Int($0)) }, version: Int(row.int("version"))))
        }
        return rows.map { Self.listing(from: $0, milestones: milestones[$0.int("id")] ?? []) }
    }

    static func listing(from row: SQLRow, milestones: [Milestone]) -> ProjectListing {
        var project = ImplementationProject(
            id: row.int("id"), code: row.string("code"), productCode: row.string("product_code"),
            type: ProjectType(rawValue: row.string("type")) ?? .lsp, organisationID: row.int("organisation_id"),
            supplierID: row.optionalInt("supplier_id"),
            ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"), lhcID: row.optionalInt("lhc_id"),
                               trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
            milestones: milestones, version: Int(row.int("version")))
        project.release = Int(row.int("release"))
        project.state = ProjectState(rawValue: row.string("state")) ?? .live
        project.stateOn = row.optionalInt("state_on").map { Day(ordinal: Int($0)) }
        project.stateReason = row.optionalString("state_reason")
        let basis = RAGBasis(complete: row.int("complete") != 0, worstOpenSlippage: row.optionalInt("worst_open_slippage").map { Int($0) },
                             earliestOpenForecast: row.optionalInt("earliest_open_forecast").map { Day(ordinal: Int($0)) },
                             openWithoutForecast: row.int("open_without_forecast") != 0)
        return ProjectListing(project: project, organisationCode: row.string("organisation_code"),
                              organisationName: row.string("organisation_name"), supplierName: row.optionalString("supplier_name"),
                              ragBasis: basis, stage: NSIStage(rawValue: Int(row.int("stage"))) ?? project.stage)
    }

    /// The derived columns a project row keeps for roll-ups and lists, bound in column order:
    /// stage, achieved_count, late_mask, complete, worst_open_slippage, earliest_open_forecast,
    /// open_without_forecast.
    static func derivedValues(_ p: ImplementationProject) -> [SQLValue] {
        let basis = p.ragBasis
        return [.integer(Int64(p.stage.rawValue)), .integer(Int64(p.achievedCount)), .integer(Int64(p.lateMask)),
                .integer(basis.complete ? 1 : 0), SQLValue(basis.worstOpenSlippage), SQLValue(basis.earliestOpenForecast?.ordinal),
                .integer(basis.openWithoutForecast ? 1 : 0)]
    }
    static let derivedColumns = ["stage", "achieved_count", "late_mask", "complete", "worst_open_slippage",
                                 "earliest_open_forecast", "open_without_forecast"]

    public func saveMilestones(of project: ImplementationProject, expectedVersion: Int,
                               audit: AuditRecord) async throws -> ImplementationProject {
        try await writeAudited(Self.milestoneStatements(of: project, expectedVersion: expectedVersion), audit: audit)
        var saved = project
        saved.version = expectedVersion + 1
        return saved
    }

    /// Saves a project's milestones and derived columns if it is still at `expectedVersion`,
    /// moving its version on; shared by milestone edits and re-baselining by a CCN.
    static func milestoneStatements(of project: ImplementationProject, expectedVersion: Int) -> [SQLStatement] {
        var statements = [SQLStatement(
            """
            UPDATE project SET \(Self.derivedColumns.map { "\($0) = ?" }.joined(separator: ", ")), version = version + 1
            WHERE id = ? AND version = ? RETURNING id
            """,
            Self.derivedValues(project) + [.integer(project.id), .integer(Int64(expectedVersion))],
            expectedRows: 1)]
        for milestone in project.milestones {
            statements.append(SQLStatement(
                """
                UPDATE milestone SET baseline = ?, forecast = ?, actual = ?, version = ?
                WHERE project_id = ? AND kind = ? RETURNING project_id
                """,
                [SQLValue(milestone.baseline?.ordinal), SQLValue(milestone.forecast?.ordinal),
                 SQLValue(milestone.actual?.ordinal), .integer(Int64(milestone.version)),
                 .integer(project.id), .text(milestone.kind.rawValue)],
                expectedRows: 1))
        }
        return statements
    }
}
