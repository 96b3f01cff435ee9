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
        // The raising organisation's ancestry would clash with the note's own cluster_id.
        + ", k.code AS cluster_code, r.cluster_id AS raised_cluster_id, r.sha_id AS raised_sha_id, r.lhc_id AS raised_lhc_id,"
        + " r.trust_id AS raised_trust_id, r.site_id AS raised_site_id"
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
        let anchor = ChangeAnchor(ancestry: Ancestry(
            clusterID: row.optionalInt("raised_cluster_id"), shaID: row.optionalInt("raised_sha_id"), lhcID: row.optionalInt("raised_lhc_id"),
            trustID: row.optionalInt("raised_trust_id"), siteID: row.optionalInt("raised_site_id")))
        return ChangeControlNote(
            id: row.int("id"), clusterID: row.int("cluster_id"), clusterCode: row.string("cluster_code"), number: Int(row.int("number")),
            type: ChangeType(rawValue: row.string("type")) ?? .business, title: row.string("title"), description: row.string("description"),
            reason: row.string("reason"),
            impact: ChangeImpact(risk: row.string("impact_risk"), issues: row.string("impact_issues"),
                                 functionality: row.string("impact_functionality"), cost: row.string("impact_cost"),
                                 costPounds: row.optionalInt("cost_pounds"), time: row.string("impact_time"),
                                 timeWorkingDays: row.optionalInt("time_days").map { Int($0) }),
            state: ChangeState(rawValue: row.string("state")) ?? .raised, raisedBy: row.string("raised_by"),
            raisedOn: Day(ordinal: Int(row.int("raised_on"))), raisedAt: row.int("raised_at"), raisedAtAnchor: anchor,
            version: Int(row.int("version")))
    }

    static func anchorValues(_ anchor: ChangeAnchor) -> [SQLValue] {
        let a = anchor.ancestry
        return [SQLValue(a.clusterID), SQLValue(a.shaID), SQLValue(a.lhcID), SQLValue(a.trustID), SQLValue(a.siteID), SQLValue(anchor.supplierID)]
    }

    /// Reads `anchorColumns`.
    static func anchor(_ row: SQLRow) -> ChangeAnchor {
        ChangeAnchor(ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"),
                                        lhcID: row.optionalInt("lhc_id"), trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
                     supplierID: row.optionalInt("supplier_id"))
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
            """, key).map { AffectedProject(id: $0.int("id"), code: $0.string("code"), anchor: Self.anchor($0)) }
        note.milestones = try await database.fetch(
            "SELECT m.project_id, p.code, m.kind, m.proposed_baseline FROM ccn_milestone m JOIN project p ON p.id = m.project_id WHERE m.ccn_id = ?",
            key).compactMap { row in
            MilestoneKind(rawValue: row.string("kind")).map {
                AffectedMilestone(projectID: row.int("project_id"), projectCode: row.string("code"), kind: $0,
                                  proposedBaseline: Day(ordinal: Int(row.int("proposed_baseline"))))
            }
        }
        note.dipLines = try await database.fetch(
            "SELECT \(Self.ccnDIPLineColumns.dropFirst(2).joined(separator: ", ")) FROM ccn_dip_line WHERE ccn_id = ? ORDER BY position", key).map { row in
            AffectedDIPLine(dipID: row.int("dip_id"), lineNumber: row.optionalInt("line_number").map { Int($0) },
                            proposedDue: row.optionalInt("proposed_due").map { Day(ordinal: Int($0)) },
                            proposedOrganisationID: row.optionalInt("proposed_organisation_id"),
                            proposedImplementation: row.optionalString("proposed_implementation").flatMap(ImplementationKind.init(rawValue:)),
                            anchor: Self.anchor(row))
        }
        note.assessments = try await database.fetch(
            "SELECT discipline, assessor, recommendation, recorded_on FROM ccn_assessment WHERE ccn_id = ?", key).compactMap { row in
            AssessorDiscipline(rawValue: row.string("discipline")).map {
                ChangeAssessment(discipline: $0, assessor: row.string("assessor"), recommendation: row.string("recommendation"),
                                 recordedOn: Day(ordinal: Int(row.int("recorded_on"))))
            }
        }
        note.sortItems()
        return note
    }

    public func changeNote(clusterID: Int64, number: Int, scope: AccessScope) async throws -> ChangeControlNote? {
        guard let id = try await database.fetch("SELECT id FROM ccn WHERE cluster_id = ? AND number = ?",
                                                [.integer(clusterID), .integer(Int64(number))]).first?.int("id") else { return nil }
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
    @_spi(Bench) public static func changeNoteListSQL(_ query: ChangeNoteQuery) -> (sql: String, binds: [SQLValue]) {
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
        for row in try await database.fetch("SELECT c.state, count(*) AS note_count FROM ccn c" + conditions.whereClause + " GROUP BY c.state",
                                            binds) {
            if let state = ChangeState(rawValue: row.string("state")) { counts[state] = Int(row.int("note_count")) }
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
