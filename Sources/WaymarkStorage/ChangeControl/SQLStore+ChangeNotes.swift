import WaymarkCore

/// Change Control Notes. A note is written whole (its row, places, affected items and
/// assessments), so the places that scope it always agree with what it affects.
extension SQLStore {
    static let ccnColumns = [
        "id", "cluster_id", "number", "type", "title", "description", "reason", "impact_risk", "impact_issues",
        "impact_functionality", "impact_cost", "cost_pounds", "impact_time", "time_days", "state", "raised_by", "raised_on",
        "raised_at", "version",
    ]
    static let ccnSelect = "SELECT " + ccnColumns.map { "c.\($0)" }.joined(separator: ", ")
        + ", k.code, r.cluster_id, r.sha_id, r.lhc_id, r.trust_id, r.site_id"
        + " FROM ccn c JOIN organisation k ON k.id = c.cluster_id JOIN organisation r ON r.id = c.raised_at"

    static func ccnValues(_ note: ChangeControlNote) -> [SQLValue] {
        let i = note.impact
        return [
            .integer(note.id), .integer(note.clusterID), .integer(Int64(note.number)), .text(note.type.rawValue), .text(note.title),
            .text(note.description), .text(note.reason), .text(i.risk), .text(i.issues), .text(i.functionality), .text(i.cost),
            SQLValue(i.costPounds), .text(i.time), SQLValue(i.timeWorkingDays), .text(note.state.rawValue), .text(note.raisedBy),
            .integer(Int64(note.raisedOn.ordinal)), .integer(note.raisedAt), .integer(Int64(note.version)),
        ]
    }

    static func ccn(from row: SQLRow) -> ChangeControlNote {
        let anchor = ChangeAnchor(ancestry: Ancestry(clusterID: row.optionalInt(20), shaID: row.optionalInt(21), lhcID: row.optionalInt(22),
                                                     trustID: row.optionalInt(23), siteID: row.optionalInt(24)))
        return ChangeControlNote(
            id: row.int(0), clusterID: row.int(1), clusterCode: row.string(19), number: Int(row.int(2)),
            type: ChangeType(rawValue: row.string(3)) ?? .business, title: row.string(4), description: row.string(5), reason: row.string(6),
            impact: ChangeImpact(risk: row.string(7), issues: row.string(8), functionality: row.string(9), cost: row.string(10),
                                 costPounds: row.optionalInt(11), time: row.string(12), timeWorkingDays: row.optionalInt(13).map { Int($0) }),
            state: ChangeState(rawValue: row.string(14)) ?? .raised, raisedBy: row.string(15), raisedOn: Day(ordinal: Int(row.int(16))),
            raisedAt: row.int(17), raisedAtAnchor: anchor, version: Int(row.int(18)))
    }

    static func anchorValues(_ anchor: ChangeAnchor) -> [SQLValue] {
        let a = anchor.ancestry
        return [SQLValue(a.clusterID), SQLValue(a.shaID), SQLValue(a.lhcID), SQLValue(a.trustID), SQLValue(a.siteID), SQLValue(anchor.supplierID)]
    }

    static func anchor(_ row: SQLRow, from i: Int) -> ChangeAnchor {
        ChangeAnchor(ancestry: Ancestry(clusterID: row.optionalInt(i), shaID: row.optionalInt(i + 1), lhcID: row.optionalInt(i + 2),
                                        trustID: row.optionalInt(i + 3), siteID: row.optionalInt(i + 4)),
                     supplierID: row.optionalInt(i + 5))
    }

    static let anchorColumns = ["cluster_id", "sha_id", "lhc_id", "trust_id", "site_id", "supplier_id"]
    static let ccnDIPLineColumns = ["ccn_id", "position", "dip_id", "line_number", "proposed_due", "proposed_organisation_id",
                                    "proposed_implementation"] + anchorColumns

    /// The child rows of notes, table by table, for a save or a seed.
    static func ccnChildTables(_ notes: [ChangeControlNote]) -> [LoadTable] {
        func rows(_ build: (SQLValue, ChangeControlNote) -> [[SQLValue]]) -> [[SQLValue]] {
            notes.flatMap { build(.integer($0.id), $0) }
        }
        return [
            ("ccn_place", ["ccn_id"] + anchorColumns, rows { id, note in note.anchors.map { [id] + anchorValues($0) } }),
            ("ccn_project", ["ccn_id", "project_id"], rows { id, note in note.projects.map { [id, .integer($0.id)] } }),
            ("ccn_milestone", ["ccn_id", "project_id", "kind", "proposed_baseline"], rows { id, note in note.milestones.map {
                [id, .integer($0.projectID), .text($0.kind.rawValue), .integer(Int64($0.proposedBaseline.ordinal))]
            } }),
            ("ccn_dip_line", ccnDIPLineColumns, rows { id, note in note.dipLines.enumerated().map { position, line in
                [id, .integer(Int64(position)), .integer(line.dipID), SQLValue(line.lineNumber), SQLValue(line.proposedDue?.ordinal),
                 SQLValue(line.proposedOrganisationID), SQLValue(line.proposedImplementation?.rawValue)] + anchorValues(line.anchor)
            } }),
            ("ccn_assessment", ["ccn_id", "discipline", "assessor", "recommendation", "recorded_on"], rows { id, note in note.assessments.map {
                [id, .text($0.discipline.rawValue), .text($0.assessor), .text($0.recommendation), .integer(Int64($0.recordedOn.ordinal))]
            } }),
        ]
    }

    /// Notes within `scope`: national sees all; a cluster its own; lower levels and suppliers
    /// the notes that touch a place (or a delivery) of theirs.
    static func ccnScope(_ scope: AccessScope?) -> ScopeSQL? {
        switch scope {
        case nil: return .denyAll
        case .national: return nil
        case .subtree(.cluster, let id): return ScopeSQL(condition: "c.cluster_id = ?", binds: [.integer(id)])
        case .subtree(let kind, let id):
            guard let column = ancestryColumn(kind) else { return .denyAll }
            return ScopeSQL(condition: "c.id IN (SELECT ccn_id FROM ccn_place WHERE \(column) = ?)", binds: [.integer(id)])
        case .supplier(let id):
            return ScopeSQL(condition: "c.id IN (SELECT ccn_id FROM ccn_place WHERE supplier_id = ?)", binds: [.integer(id)])
        }
    }

    /// The scope an organisation's own subtree would have: what "within" it means.
    static func subtreeScope(_ organisation: Organisation) -> AccessScope {
        switch organisation.kind {
        case .national: .national
        case .supplier: .supplier(id: organisation.id)
        default: .subtree(kind: organisation.kind, id: organisation.id)
        }
    }

    public func changeNote(id: Int64, scope: AccessScope) async throws -> ChangeControlNote? {
        var conditions = ["c.id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = Self.ccnScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        guard var note = try await database.fetch(Self.ccnSelect + conditions.whereClause, binds).first.map(Self.ccn(from:)) else { return nil }
        let key: [SQLValue] = [.integer(id)]
        note.projects = try await database.fetch(
            """
            SELECT p.id, p.code, p.cluster_id, p.sha_id, p.lhc_id, p.trust_id, p.site_id, p.supplier_id
            FROM ccn_project x JOIN project p ON p.id = x.project_id WHERE x.ccn_id = ? ORDER BY p.code
            """, key).map { AffectedProject(id: $0.int(0), code: $0.string(1), anchor: Self.anchor($0, from: 2)) }
        note.milestones = try await database.fetch(
            "SELECT m.project_id, p.code, m.kind, m.proposed_baseline FROM ccn_milestone m JOIN project p ON p.id = m.project_id WHERE m.ccn_id = ?",
            key).compactMap { row in
            MilestoneKind(rawValue: row.string(2)).map {
                AffectedMilestone(projectID: row.int(0), projectCode: row.string(1), kind: $0, proposedBaseline: Day(ordinal: Int(row.int(3))))
            }
        }
        note.dipLines = try await database.fetch(
            "SELECT \(Self.ccnDIPLineColumns.dropFirst(2).joined(separator: ", ")) FROM ccn_dip_line WHERE ccn_id = ? ORDER BY position", key).map { row in
            AffectedDIPLine(dipID: row.int(0), lineNumber: row.optionalInt(1).map { Int($0) }, proposedDue: row.optionalInt(2).map { Day(ordinal: Int($0)) },
                            proposedOrganisationID: row.optionalInt(3), proposedImplementation: row.optionalString(4).flatMap(ImplementationKind.init(rawValue:)),
                            anchor: Self.anchor(row, from: 5))
        }
        note.assessments = try await database.fetch(
            "SELECT discipline, assessor, recommendation, recorded_on FROM ccn_assessment WHERE ccn_id = ?", key).compactMap { row in
            AssessorDiscipline(rawValue: row.string(0)).map {
                ChangeAssessment(discipline: $0, assessor: row.string(1), recommendation: row.string(2), recordedOn: Day(ordinal: Int(row.int(3))))
            }
        }
        note.sortItems()
        return note
    }

    public func changeNote(clusterID: Int64, number: Int, scope: AccessScope) async throws -> ChangeControlNote? {
        guard let id = try await database.fetch("SELECT id FROM ccn WHERE cluster_id = ? AND number = ?",
                                                [.integer(clusterID), .integer(Int64(number))]).first?.int(0) else { return nil }
        return try await changeNote(id: id, scope: scope)
    }

    /// The WHERE conditions of a note list (shared by the page and the counts).
    static func ccnConditions(_ query: ChangeNoteQuery, withState: Bool) -> (conditions: [String], binds: [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        for scoped in [ccnScope(query.scope), query.within.flatMap { ccnScope(subtreeScope($0)) }].compactMap({ $0 }) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if withState, let state = query.state {
            conditions.append("c.state = ?")
            binds.append(.text(state.rawValue))
        }
        return (conditions, binds)
    }

    /// The list's query, public so the benchmark can time it raw.
    public static func changeNoteListSQL(_ query: ChangeNoteQuery) -> (sql: String, binds: [SQLValue]) {
        var (conditions, binds) = ccnConditions(query, withState: true)
        if let after = query.after {
            conditions.append("c.id > ?")
            binds.append(.integer(after))
        }
        return (ccnSelect + conditions.whereClause + " ORDER BY c.id LIMIT \(max(1, min(query.limit, 500)) + 1)", binds)
    }

    public func changeNotes(_ query: ChangeNoteQuery) async throws -> Page<ChangeControlNote> {
        let (sql, binds) = Self.changeNoteListSQL(query)
        let limit = max(1, min(query.limit, 500))
        let notes = try await database.fetch(sql, binds).map(Self.ccn(from:))
        return Page(items: Array(notes.prefix(limit)), nextCursor: notes.count > limit ? notes[limit - 1].id : nil)
    }

    public func changeNoteCounts(_ query: ChangeNoteQuery) async throws -> [ChangeState: Int] {
        let (conditions, binds) = Self.ccnConditions(query, withState: false)
        var counts: [ChangeState: Int] = [:]
        for row in try await database.fetch("SELECT c.state, count(*) FROM ccn c" + conditions.whereClause + " GROUP BY c.state", binds) {
            if let state = ChangeState(rawValue: row.string(0)) { counts[state] = Int(row.int(1)) }
        }
        return counts
    }

    public func saveChangeNote(_ note: ChangeControlNote, expectedVersion: Int?, audit: AuditRecord) async throws -> ChangeControlNote {
        var saved = note
        saved.sortItems()
        var audit = audit
        var statements: [SQLStatement]
        if let expectedVersion {
            saved.version = expectedVersion + 1
            statements = [SQLStatement(
                "UPDATE ccn SET " + Self.ccnColumns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ? AND version = ? RETURNING id",
                Array(Self.ccnValues(saved).dropFirst()) + [.integer(note.id), .integer(Int64(expectedVersion))], expectedRows: 1)]
            statements += Self.ccnChildTables([note]).map { SQLStatement("DELETE FROM \($0.table) WHERE ccn_id = ?", [.integer(note.id)]) }
        } else {
            // A new note takes the next id and the next number in its cluster.
            saved.id = try await newID("ccn")
            saved.number = try await nextNumber("ccn", "number", parent: "cluster_id", owner: note.clusterID)
            saved.version = 1
            audit.entityID = saved.id
            let values = Self.ccnValues(saved)
            statements = [SQLStatement(
                "INSERT INTO ccn (\(Self.ccnColumns.joined(separator: ", "))) VALUES (" + Array(repeating: "?", count: values.count).joined(separator: ", ")
                    + ")", values)]
        }
        statements += Self.ccnChildTables([saved]).flatMap { Self.chunkedInsert($0.table, $0.columns, $0.rows) }
        try await writeAudited(statements, audit: audit)
        return saved
    }
}
