import WaymarkCore

/// Change Review Boards, their decisions, and the re-baselines an approval applies.
extension SQLStore {
    static let decisionColumns = ["ccn_id", "position", "meeting_id", "outcome", "reason", "decided_by", "decided_on"]
    static let baselineChangeColumns = ["project_id", "kind", "ccn_id", "from_baseline", "to_baseline", "changed_on"]

    static func decisionValues(_ decision: BoardDecision, position: Int) -> [SQLValue] {
        [.integer(decision.ccnID), .integer(Int64(position)), .integer(decision.meetingID), .text(decision.outcome.rawValue),
         .text(decision.reason), .text(decision.decidedBy), .integer(Int64(decision.decidedOn.ordinal))]
    }

    static func baselineChangeValues(_ change: BaselineChange) -> [SQLValue] {
        [.integer(change.projectID), .text(change.kind.rawValue), .integer(change.ccnID), SQLValue(change.from?.ordinal),
         .integer(Int64(change.to.ordinal)), .integer(Int64(change.changedOn.ordinal))]
    }

    static func decision(from row: SQLRow) -> BoardDecision {
        BoardDecision(ccnID: row.int("ccn_id"), meetingID: row.int("meeting_id"),
                      outcome: DecisionOutcome(rawValue: row.string("outcome")) ?? .deferred, reason: row.string("reason"),
                      decidedBy: row.string("decided_by"), decidedOn: Day(ordinal: Int(row.int("decided_on"))))
    }

    public func recordDecision(_ change: DecisionChange, audits: [AuditRecord]) async throws {
        let note = change.note
        var statements = [
            SQLStatement("UPDATE ccn SET state = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING id",
                         [.text(note.state.rawValue), .integer(note.id), .integer(Int64(change.expectedVersion))], expectedRows: 1),
            SQLStatement(
                "INSERT INTO ccn_decision (\(Self.decisionColumns.joined(separator: ", "))) VALUES (?, "
                    + "(SELECT COALESCE(MAX(position), 0) + 1 FROM ccn_decision WHERE ccn_id = ?), ?, ?, ?, ?, ?)",
                [.integer(change.decision.ccnID), .integer(change.decision.ccnID)] + Array(Self.decisionValues(change.decision, position: 0).dropFirst(2))),
        ]
        for (project, expectedVersion) in change.projects {
            statements += Self.milestoneStatements(of: project, expectedVersion: expectedVersion)
        }
        statements += Self.chunkedInsert("baseline_change", Self.baselineChangeColumns, change.baselineChanges.map(Self.baselineChangeValues))
        try await writeAudited(statements, audits: audits)
    }

    public func decisions(ccnID: Int64) async throws -> [BoardDecision] {
        try await database.fetch("SELECT \(Self.decisionColumns.joined(separator: ", ")) FROM ccn_decision WHERE ccn_id = ? ORDER BY position",
                                 [.integer(ccnID)]).map(Self.decision(from:))
    }

    public func boardDecisions(clusterID: Int64, scope: AccessScope, limit: Int) async throws -> [DecisionListing] {
        var conditions = ["c.cluster_id = ?"]
        var binds: [SQLValue] = [.integer(clusterID)]
        if let scoped = Self.ccnScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch(
            "SELECT " + Self.decisionColumns.map { "d.\($0)" }.joined(separator: ", ") + ", k.code AS cluster_code, c.number, c.title"
                + " FROM ccn_decision d JOIN ccn c ON c.id = d.ccn_id JOIN organisation k ON k.id = c.cluster_id"
                + conditions.whereClause + " ORDER BY d.decided_on DESC, d.ccn_id DESC, d.position DESC LIMIT \(max(1, min(limit, 500)))",
            binds).map { row in
            DecisionListing(decision: Self.decision(from: row),
                            reference: ChangeControlNote.reference(clusterCode: row.string("cluster_code"), number: Int(row.int("number"))),
                            title: row.string("title"))
        }
    }

    public func baselineHistory(projectID: Int64) async throws -> [BaselineChange] {
        try await database.fetch(
            """
            SELECT b.project_id, b.kind, b.ccn_id, b.from_baseline, b.to_baseline, b.changed_on, k.code AS cluster_code, c.number
            FROM baseline_change b JOIN ccn c ON c.id = b.ccn_id JOIN organisation k ON k.id = c.cluster_id
            WHERE b.project_id = ? ORDER BY b.changed_on DESC, b.ccn_id DESC
            """, [.integer(projectID)]).compactMap { row in
            MilestoneKind(rawValue: row.string("kind")).map {
                BaselineChange(projectID: row.int("project_id"), kind: $0, from: row.optionalInt("from_baseline").map { Day(ordinal: Int($0)) },
                               to: Day(ordinal: Int(row.int("to_baseline"))), ccnID: row.int("ccn_id"),
                               ccnReference: ChangeControlNote.reference(clusterCode: row.string("cluster_code"), number: Int(row.int("number"))),
                               changedOn: Day(ordinal: Int(row.int("changed_on"))))
            }
        }
    }

    public func changeBoard(clusterID: Int64) async throws -> ChangeReviewBoard {
        let key: [SQLValue] = [.integer(clusterID)]
        let members = try await database.fetch(
            "SELECT username, name, representing FROM change_board_member WHERE cluster_id = ? ORDER BY name, username", key).map {
            BoardMember(username: $0.string("username"), name: $0.string("name"), representing: $0.string("representing"))
        }
        let meetings = try await database.fetch(
            "SELECT id, held_on, minutes FROM change_board_meeting WHERE cluster_id = ? ORDER BY held_on DESC, id DESC", key).map {
            BoardMeeting(id: $0.int("id"), clusterID: clusterID, heldOn: Day(ordinal: Int($0.int("held_on"))), minutes: $0.string("minutes"))
        }
        return ChangeReviewBoard(clusterID: clusterID, members: members, meetings: meetings)
    }

    public func saveBoardMember(_ member: BoardMember, clusterID: Int64, audit: AuditRecord) async throws {
        try await writeAudited([
            SQLStatement("DELETE FROM change_board_member WHERE cluster_id = ? AND username = ?", [.integer(clusterID), .text(member.username)]),
            SQLStatement("INSERT INTO change_board_member (cluster_id, username, name, representing) VALUES (?, ?, ?, ?)",
                         [.integer(clusterID), .text(member.username), .text(member.name), .text(member.representing)]),
        ], audit: audit)
    }

    public func removeBoardMember(username: String, clusterID: Int64, audit: AuditRecord) async throws {
        try await writeAudited([SQLStatement(
            "DELETE FROM change_board_member WHERE cluster_id = ? AND username = ? RETURNING username",
            [.integer(clusterID), .text(username)], expectedRows: 1, onMismatch: .notFound)], audit: audit)
    }

    public func addBoardMeeting(_ meeting: BoardMeeting, audit: AuditRecord) async throws -> BoardMeeting {
        var saved = meeting
        saved.id = Self.newID()
        try await writeAudited([SQLStatement(
            "INSERT INTO change_board_meeting (id, cluster_id, held_on, minutes) VALUES (?, ?, ?, ?)",
            [.integer(saved.id), .integer(saved.clusterID), .integer(Int64(saved.heldOn.ordinal)), .text(saved.minutes)])], audit: audit)
        return saved
    }
}
