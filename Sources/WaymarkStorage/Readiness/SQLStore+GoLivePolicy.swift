import WaymarkCore

/// The Go Live policy and milestone overrides.
extension SQLStore {
    static let goLivePolicyMigration = Migration(version: 26, name: "go live policy and milestone overrides") { _ in
        [
            """
            CREATE TABLE go_live_policy (
                organisation_id BIGINT PRIMARY KEY REFERENCES organisation(id),
                policy TEXT NOT NULL CHECK (policy IN ('warn','require'))
            )
            """,
            """
            CREATE TABLE milestone_override (
                project_id BIGINT NOT NULL REFERENCES project(id),
                milestone TEXT NOT NULL,
                reason TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                gaps TEXT NOT NULL,
                PRIMARY KEY (project_id, milestone)
            )
            """,
        ]
    }

    public func goLivePolicies() async throws -> [Int64: GoLivePolicy] {
        var policies: [Int64: GoLivePolicy] = [:]
        for row in try await database.fetch("SELECT organisation_id, policy FROM go_live_policy", []) {
            policies[row.int("organisation_id")] = GoLivePolicy(rawValue: row.string("policy"))
        }
        return policies
    }

    public func setGoLivePolicy(_ policy: GoLivePolicy?, organisationID: Int64, audit: AuditRecord) async throws {
        var statements = [SQLStatement("DELETE FROM go_live_policy WHERE organisation_id = ?", [.integer(organisationID)])]
        if let policy {
            statements.append(SQLStatement("INSERT INTO go_live_policy (organisation_id, policy) VALUES (?, ?)",
                                           [.integer(organisationID), .text(policy.rawValue)]))
        }
        try await writeAudited(statements, audit: audit)
    }

    public func milestoneOverrides(projectID: Int64) async throws -> [MilestoneOverride] {
        try await database.fetch("SELECT project_id, milestone, reason, decided_by, decided_at, gaps FROM milestone_override WHERE project_id = ?",
                                 [.integer(projectID)]).compactMap(Self.override)
    }

    static func override(_ row: SQLRow) -> MilestoneOverride? {
        guard let kind = MilestoneKind(rawValue: row.string("milestone")) else { return nil }
        return MilestoneOverride(projectID: row.int("project_id"), milestone: kind, reason: row.string("reason"), decidedBy: row.string("decided_by"),
                                 decidedAt: row.string("decided_at"), gaps: decoded([String].self, row.string("gaps"), default: []))
    }

    public func saveMilestoneOverride(_ override: MilestoneOverride, audit: AuditRecord) async throws {
        try await writeAudited([SQLStatement("""
            INSERT INTO milestone_override (project_id, milestone, reason, decided_by, decided_at, gaps) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING project_id
            """, [.integer(override.projectID), .text(override.milestone.rawValue), .text(override.reason), .text(override.decidedBy),
                  .text(override.decidedAt), .text(Self.json(override.gaps))], expectedRows: 1, onMismatch: .duplicate)], audit: audit)
    }

    public func overriddenMilestones(within organisation: Organisation, scope: AccessScope, limit: Int) async throws -> [(projectCode: String, override: MilestoneOverride)] {
        var (conditions, binds) = Self.projectConditions(within: organisation, scope: scope)
        conditions.append("m.actual IS NOT NULL")
        return try await database.fetch("""
            SELECT p.code, o.project_id, o.milestone, o.reason, o.decided_by, o.decided_at, o.gaps FROM milestone_override o
            JOIN project p ON p.id = o.project_id JOIN milestone m ON m.project_id = o.project_id AND m.kind = o.milestone
            \(conditions.whereClause) ORDER BY o.decided_at DESC, p.code LIMIT \(limit)
            """, binds).compactMap { row in Self.override(row).map { (row.string("code"), $0) } }
    }
}
