import WaymarkCore

/// Survey responses, their answers and actions. A save rewrites the answers under the
/// response's version, so two people saving at once cannot both win.
extension SQLStore {
    static let surveysMigration = Migration(version: 22, name: "readiness surveys") { _ in
        let ratings = ReadinessRating.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
        return [
            """
            CREATE TABLE survey_response (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                kind TEXT NOT NULL,
                catalogue_version INTEGER NOT NULL,
                version BIGINT NOT NULL CHECK (version >= 1),
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                signed_off_version BIGINT,
                signed_off_by TEXT,
                signed_off_at TEXT,
                UNIQUE (project_id, kind)
            )
            """,
            """
            CREATE TABLE survey_answer (
                response_id BIGINT NOT NULL REFERENCES survey_response(id),
                question_id TEXT NOT NULL,
                rating TEXT CHECK (rating IN (\(ratings))),
                count BIGINT CHECK (count >= 0),
                finding TEXT NOT NULL,
                tracking_item_id BIGINT REFERENCES tracking_item(id),
                PRIMARY KEY (response_id, question_id)
            )
            """,
            """
            CREATE TABLE survey_action (
                response_id BIGINT NOT NULL REFERENCES survey_response(id),
                question_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                text TEXT NOT NULL,
                owner TEXT NOT NULL,
                due INTEGER NOT NULL,
                PRIMARY KEY (response_id, question_id, position)
            )
            """,
        ]
    }

    /// The overall rating, kept with the response so stage 0 roll-ups read one column.
    static let surveyOverallMigration = Migration(version: 23, name: "survey overall rating") { _ in
        [
            "ALTER TABLE survey_response ADD COLUMN overall TEXT",
            "CREATE INDEX survey_response_kind ON survey_response (kind, project_id, overall)",
        ]
    }

    static let responseColumns = "id, project_id, kind, catalogue_version, version, updated_by, updated_at, signed_off_version, signed_off_by, signed_off_at"

    public func surveyResponses(projectID: Int64) async throws -> [SurveyResponse] {
        try await responses("r.project_id = ?", [.integer(projectID)])
    }

    public func surveyResponse(projectID: Int64, kind: SurveyKind) async throws -> SurveyResponse? {
        try await responses("r.project_id = ? AND r.kind = ?", [.integer(projectID), .text(kind.rawValue)]).first
    }

    func responses(_ condition: String, _ binds: [SQLValue]) async throws -> [SurveyResponse] {
        var answers: [Int64: [SurveyAnswer]] = [:]
        var actions: [Int64: [String: [SurveyAction]]] = [:]
        for row in try await database.fetch("""
            SELECT a.response_id, a.question_id, a.position, a.text, a.owner, a.due FROM survey_action a
            JOIN survey_response r ON r.id = a.response_id WHERE \(condition) ORDER BY a.response_id, a.question_id, a.position
            """, binds) {
            actions[row.int("response_id"), default: [:]][row.string("question_id"), default: []]
                .append(SurveyAction(text: row.string("text"), owner: row.string("owner"), due: Day(ordinal: Int(row.int("due")))))
        }
        for row in try await database.fetch("""
            SELECT a.response_id, a.question_id, a.rating, a.count, a.finding, a.tracking_item_id FROM survey_answer a
            JOIN survey_response r ON r.id = a.response_id WHERE \(condition) ORDER BY a.response_id, a.question_id
            """, binds) {
            let id = row.int("response_id"), question = row.string("question_id")
            answers[id, default: []].append(SurveyAnswer(
                questionID: question, rating: row.optionalString("rating").flatMap(ReadinessRating.init(rawValue:)),
                count: row.optionalInt("count").map(Int.init), finding: row.string("finding"), actions: actions[id]?[question] ?? [],
                trackingItemID: row.optionalInt("tracking_item_id")))
        }
        let columns = Self.responseColumns.components.map { "r.\($0)" }.joined(separator: ", ")
        return try await database.fetch("SELECT \(columns) FROM survey_response r WHERE \(condition) ORDER BY r.kind", binds).compactMap { row in
            guard let kind = SurveyKind(rawValue: row.string("kind")) else { return nil }
            let id = row.int("id")
            let catalogue = Int(row.int("catalogue_version"))
            // In the catalogue's order, as they were saved.
            let order = Dictionary(uniqueKeysWithValues: (SurveyCatalogue.version(catalogue)?.questions(kind) ?? []).enumerated().map { ($0.element.id, $0.offset) })
            let sorted = (answers[id] ?? []).sorted { (order[$0.questionID] ?? .max, $0.questionID) < (order[$1.questionID] ?? .max, $1.questionID) }
            return SurveyResponse(id: id, projectID: row.int("project_id"), kind: kind, catalogueVersion: catalogue,
                                  version: Int(row.int("version")), answers: sorted, updatedBy: row.string("updated_by"),
                                  updatedAt: row.string("updated_at"), signedOffVersion: row.optionalInt("signed_off_version").map(Int.init),
                                  signedOffBy: row.optionalString("signed_off_by"), signedOffAt: row.optionalString("signed_off_at"))
        }
    }

    public func saveSurveyResponse(_ response: SurveyResponse, expectedVersion: Int, audit: AuditRecord) async throws -> SurveyResponse {
        var saved = response
        saved.version = expectedVersion + 1
        var statements: [SQLStatement] = []
        if expectedVersion == 0 {
            saved.id = try await newID("survey_response")
            statements.append(SQLStatement("""
                INSERT INTO survey_response (id, project_id, kind, catalogue_version, version, updated_by, updated_at, overall) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
                ON CONFLICT DO NOTHING RETURNING id
                """, [.integer(saved.id), .integer(saved.projectID), .text(saved.kind.rawValue), .integer(Int64(saved.catalogueVersion)),
                      .text(saved.updatedBy), .text(saved.updatedAt), SQLValue(saved.overall?.rawValue)], expectedRows: 1))
        } else {
            statements.append(SQLStatement("""
                UPDATE survey_response SET version = version + 1, catalogue_version = ?, updated_by = ?, updated_at = ?, overall = ?
                WHERE id = ? AND version = ? RETURNING id
                """, [.integer(Int64(saved.catalogueVersion)), .text(saved.updatedBy), .text(saved.updatedAt), SQLValue(saved.overall?.rawValue),
                      .integer(saved.id), .integer(Int64(expectedVersion))], expectedRows: 1))
            // Answers are updated in place, so a risk raised from one meanwhile keeps its link.
            statements.append(SQLStatement("DELETE FROM survey_action WHERE response_id = ?", [.integer(saved.id)]))
            let kept = saved.answers.map { SQLValue.text($0.questionID) }
            statements.append(SQLStatement("DELETE FROM survey_answer WHERE response_id = ?"
                + (kept.isEmpty ? "" : " AND question_id NOT IN (" + Array(repeating: "?", count: kept.count).joined(separator: ", ") + ")"),
                [.integer(saved.id)] + kept))
        }
        for answer in saved.answers {
            statements.append(SQLStatement("""
                INSERT INTO survey_answer (response_id, question_id, rating, count, finding, tracking_item_id) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (response_id, question_id) DO UPDATE SET rating = excluded.rating, count = excluded.count, finding = excluded.finding
                """, [.integer(saved.id), .text(answer.questionID), SQLValue(answer.rating?.rawValue), SQLValue(answer.count.map(Int64.init)),
                      .text(answer.finding), SQLValue(answer.trackingItemID)]))
            for (position, action) in answer.actions.enumerated() {
                statements.append(SQLStatement("""
                    INSERT INTO survey_action (response_id, question_id, position, text, owner, due) VALUES (?, ?, ?, ?, ?, ?)
                    """, [.integer(saved.id), .text(answer.questionID), .integer(Int64(position)), .text(action.text), .text(action.owner),
                          .integer(Int64(action.due.ordinal))]))
            }
        }
        statements.append(Self.refreshReadiness(projectID: saved.projectID))
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func signOffSurvey(id: Int64, version: Int, by name: String, at timestamp: String, audit: AuditRecord) async throws {
        var audit = audit
        audit.entityID = id
        try await writeAudited([SQLStatement("""
            UPDATE survey_response SET signed_off_version = version, signed_off_by = ?, signed_off_at = ? WHERE id = ? AND version = ? RETURNING id
            """, [.text(name), .text(timestamp), .integer(id), .integer(Int64(version))], expectedRows: 1)], audit: audit)
    }

    public func raiseFromFinding(_ change: TrackingChange, responseID: Int64, questionID: String) async throws -> TrackingItem {
        try await saveTrackingItems([change]) { saved in
            [SQLStatement("""
                UPDATE survey_answer SET tracking_item_id = ? WHERE response_id = ? AND question_id = ? AND tracking_item_id IS NULL RETURNING response_id
                """, [.integer(saved[0].id), .integer(responseID), .text(questionID)], expectedRows: 1)]
        }[0]
    }

    public func stageZeroReadiness(within organisation: Organisation, scope: AccessScope) async throws -> [ReadinessRating?: Int] {
        var (conditions, binds) = Self.projectConditions(within: organisation, scope: scope)
        conditions += ["p.state = 'live'", "p.stage = 0"]
        // Worst first: not ready, then not assessed, partly ready, ready, not applicable.
        let rank = "CASE r.overall WHEN 'not-ready' THEN 4 WHEN 'partly-ready' THEN 2 WHEN 'ready' THEN 1 WHEN 'not-applicable' THEN 0 ELSE 3 END"
        var counts: [ReadinessRating?: Int] = [:]
        for row in try await database.fetch("""
            SELECT worst, COUNT(*) AS sites FROM (
                SELECT p.organisation_id, MAX(\(rank)) AS worst FROM project p
                LEFT JOIN survey_response r ON r.project_id = p.id AND r.kind = 'organisational-readiness'
                \(conditions.whereClause) GROUP BY p.organisation_id) s
            GROUP BY worst
            """, binds) {
            let rating: ReadinessRating? = switch row.int("worst") { case 4: .notReady; case 2: .partlyReady; case 1: .ready; case 0: .notApplicable; default: nil }
            counts[rating, default: 0] += Int(row.int("sites"))
        }
        return counts
    }
}
