import WaymarkCore

/// The deviation report's queries: each reads only the template's projects (one indexed join
/// from `project_template`), within the actor's scope.
extension SQLStore {
    enum DeviationQuery: CaseIterable {
        case counts, moved, catalogue, plans, documents

        var parts: (select: String, joins: String, condition: String, order: String) {
            switch self {
            case .counts:
                ("COUNT(*) AS n, SUM(CASE WHEN r.plan_tasks <> '' AND NOT EXISTS (SELECT 1 FROM plan WHERE plan.project_id = t.project_id) THEN 1 ELSE 0 END) AS without_plan",
                 "", "", "")
            case .moved:
                ("p.code, e.kind, e.expected, m.baseline, (SELECT MAX(b.ccn_id) FROM baseline_change b WHERE b.project_id = e.project_id AND b.kind = e.kind) AS ccn_id",
                 "JOIN project_template_baseline e ON e.project_id = t.project_id JOIN milestone m ON m.project_id = e.project_id AND m.kind = e.kind",
                 "(m.baseline IS NULL OR m.baseline <> e.expected)", "p.code, e.kind")
            case .catalogue:
                ("p.code, r.version, r.catalogue_version, c.catalogue_version AS actual", "JOIN project_catalogue c ON c.project_id = t.project_id",
                 "c.catalogue_version <> r.catalogue_version", "p.code")
            case .plans:
                ("p.code, r.plan_tasks, k.name", "JOIN plan_task k ON k.project_id = t.project_id", "r.plan_tasks <> ''", "p.code, k.position")
            case .documents:
                ("p.code, r.documents, d.product_code", "JOIN project_document d ON d.project_id = t.project_id",
                 "r.documents <> '' AND d.state = 'obsolete'", "p.code, d.product_code")
            }
        }

        func statement(templateCode: String, scope: AccessScope?, projectID: Int64?) -> SQLStatement {
            let (select, joins, condition, order) = parts
            var conditions = ["r.code = ?"]
            var binds: [SQLValue] = [.text(templateCode)]
            if let scoped = ScopeSQL.projects(scope, prefix: "p.") {
                conditions.append(scoped.condition)
                binds += scoped.binds
            }
            if let projectID {
                conditions.append("t.project_id = ?")
                binds.append(.integer(projectID))
            }
            if !condition.isEmpty { conditions.append(condition) }
            return SQLStatement("""
                SELECT \(select) FROM project_template t JOIN rollout_template r ON r.id = t.template_id JOIN project p ON p.id = t.project_id \
                \(joins)\(conditions.whereClause)\(order.isEmpty ? "" : " ORDER BY \(order)")
                """, binds)
        }
    }

    /// The report's queries for the whole programme, so `waymark bench` can time them raw.
    @_spi(Bench) public static func deviationStatements(templateCode: String) -> [SQLStatement] {
        DeviationQuery.allCases.map { $0.statement(templateCode: templateCode, scope: .national, projectID: nil) }
    }

    public func deviations(templateCode: String, scope: AccessScope?, projectID: Int64?) async throws -> RollOutDeviations {
        func rows(_ query: DeviationQuery) async throws -> [SQLRow] {
            let statement = query.statement(templateCode: templateCode, scope: scope, projectID: projectID)
            return try await database.fetch(statement.sql, statement.binds)
        }
        let moved = try await rows(.moved).map { row in
            RollOutDeviations.MovedBaseline(projectCode: row.string("code"), milestone: MilestoneKind(rawValue: row.string("kind")) ?? .goLiveCompleted,
                                            expected: Day(ordinal: Int(row.int("expected"))),
                                            baseline: row.optionalInt("baseline").map { Day(ordinal: Int($0)) }, ccnID: row.optionalInt("ccn_id"))
        }
        let catalogue = try await rows(.catalogue).map { row in
            RollOutDeviations.CatalogueChange(projectCode: row.string("code"), templateVersion: Int(row.int("version")),
                                              expected: Int(row.int("catalogue_version")), actual: Int(row.int("actual")))
        }
        let counts = try await rows(.counts).first
        var report = RollOutDeviations(projects: Int(counts?.int("n") ?? 0), moved: moved, catalogue: catalogue)
        report.plans = Self.planChanges(try await rows(.plans))
        report.withoutPlan = Int(counts?.optionalInt("without_plan") ?? 0)
        report.documents = try await rows(.documents).compactMap { row in
            let product = row.string("product_code")
            return row.string("documents").split(separator: " ").contains(Substring(product))
                ? RollOutDeviations.DroppedDocument(projectCode: row.string("code"), productCode: product) : nil
        }
        return report
    }

    /// Each plan's task names against its template's skeleton, ignoring case and spacing.
    static func planChanges(_ rows: [SQLRow]) -> [RollOutDeviations.PlanChange] {
        var changes: [RollOutDeviations.PlanChange] = []
        var index = 0
        while index < rows.count {
            let code = rows[index].string("code")
            let skeleton = rows[index].string("plan_tasks").split(separator: "\n").map(String.init)
            var names: [String] = []
            while index < rows.count && rows[index].string("code") == code {
                names.append(rows[index].string("name"))
                index += 1
            }
            func key(_ name: String) -> String { name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased() }
            let planned = Set(names.map(key))
            let expected = Set(skeleton.map(key))
            let change = RollOutDeviations.PlanChange(projectCode: code, added: names.filter { !expected.contains(key($0)) },
                                                      removed: skeleton.filter { !planned.contains(key($0)) })
            if !change.added.isEmpty || !change.removed.isEmpty { changes.append(change) }
        }
        return changes
    }

    public func projectTemplate(projectID: Int64) async throws -> (template: RollOutTemplate, wave: Int, waveStart: Day)? {
        let columns = Self.templateColumns.components.map { "r.\($0)" }.joined(separator: ", ")
        return try await database.fetch("""
            SELECT \(columns), t.wave, t.wave_start FROM project_template t JOIN rollout_template r ON r.id = t.template_id WHERE t.project_id = ?
            """, [.integer(projectID)]).first.map { row in
            (Self.template(from: row), Int(row.int("wave")), Day(ordinal: Int(row.int("wave_start"))))
        }
    }
}
