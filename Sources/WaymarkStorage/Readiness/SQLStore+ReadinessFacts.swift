import WaymarkCore

/// Each project's readiness facts, kept in one row so the going-live list reads them with its
/// projects in one query. Every write that changes a fact refreshes the row in its own
/// transaction (`refreshReadiness`); a load refreshes every project's.
extension SQLStore {
    static let readinessFactsMigration = Migration(version: 28, name: "project readiness facts") { _ in
        [
            """
            CREATE TABLE project_readiness (
                project_id BIGINT PRIMARY KEY REFERENCES project(id),
                surveys_answered INTEGER NOT NULL,
                surveys_not_ready INTEGER NOT NULL,
                showstoppers INTEGER NOT NULL,
                signed_report INTEGER NOT NULL,
                checklists INTEGER NOT NULL,
                checklists_signed INTEGER NOT NULL,
                blocking_hazards INTEGER NOT NULL,
                safety_signed INTEGER NOT NULL,
                valid_per_mille INTEGER
            )
            """,
            refreshAllReadiness.sql,
        ]
    }

    static let readinessFactColumns = "project_id, surveys_answered, surveys_not_ready, showstoppers, signed_report, checklists, checklists_signed, blocking_hazards, safety_signed, valid_per_mille"

    /// The facts of the project `t.id`. A hazard blocks Go Live when its residual rating is
    /// above acceptable: in the DCB0129 matrix that is severity + likelihood of 6 or more.
    static func readinessFacts(_ t: String) -> String {
        """
        \(t).id,
        (SELECT COUNT(*) FROM survey_response WHERE project_id = \(t).id),
        (SELECT COUNT(*) FROM survey_response WHERE project_id = \(t).id AND overall = 'not-ready'),
        (SELECT COUNT(*) FROM tracking_item WHERE project_id = \(t).id AND status = 'open' AND rating_priority = 1),
        CASE WHEN EXISTS (SELECT 1 FROM readiness_report WHERE project_id = \(t).id AND signed_by IS NOT NULL) THEN 1 ELSE 0 END,
        (SELECT COUNT(*) FROM go_live_checklist WHERE project_id = \(t).id),
        (SELECT COUNT(*) FROM go_live_checklist c WHERE c.project_id = \(t).id
            AND NOT EXISTS (SELECT 1 FROM go_live_checklist_item i WHERE i.checklist_id = c.id AND i.signed_by IS NULL)),
        (SELECT COUNT(*) FROM hazard WHERE project_id = \(t).id AND status = 'open' AND residual_severity + residual_likelihood >= 6),
        CASE WHEN EXISTS (SELECT 1 FROM safety_signoff WHERE project_id = \(t).id) THEN 1 ELSE 0 END,
        (SELECT CASE WHEN d.records = 0 THEN 0 ELSE d.valid * 1000 / d.records END FROM data_quality_check d
            WHERE d.project_id = \(t).id ORDER BY d.checked_on DESC, d.id DESC LIMIT 1)
        """
    }

    static let readinessUpsert = """
        ON CONFLICT (project_id) DO UPDATE SET surveys_answered = excluded.surveys_answered, surveys_not_ready = excluded.surveys_not_ready,
        showstoppers = excluded.showstoppers, signed_report = excluded.signed_report, checklists = excluded.checklists,
        checklists_signed = excluded.checklists_signed, blocking_hazards = excluded.blocking_hazards, safety_signed = excluded.safety_signed,
        valid_per_mille = excluded.valid_per_mille
        """

    /// Refreshes the row of the project `projectSQL` names (an id, or a subquery for one).
    static func refreshReadiness(_ projectSQL: String, _ binds: [SQLValue]) -> SQLStatement {
        SQLStatement("INSERT INTO project_readiness (\(readinessFactColumns)) SELECT \(readinessFacts("t")) FROM (SELECT \(projectSQL) AS id) t "
                     + "WHERE t.id IS NOT NULL \(readinessUpsert)", binds)
    }

    static func refreshReadiness(projectID: Int64) -> SQLStatement { refreshReadiness("?", [.integer(projectID)]) }

    /// Every project's row, after a load.
    static let refreshAllReadiness = SQLStatement(
        "INSERT INTO project_readiness (\(readinessFactColumns)) SELECT \(readinessFacts("t")) FROM project t WHERE 1 = 1 \(readinessUpsert)")

    static func facts(_ row: SQLRow) -> ReadinessFacts {
        var f = ReadinessFacts()
        f.surveysAnswered = Int(row.optionalInt("surveys_answered") ?? 0)
        f.surveysNotReady = Int(row.optionalInt("surveys_not_ready") ?? 0)
        f.showstoppers = Int(row.optionalInt("showstoppers") ?? 0)
        f.signedReport = (row.optionalInt("signed_report") ?? 0) != 0
        f.checklists = Int(row.optionalInt("checklists") ?? 0)
        f.checklistsSignedOff = Int(row.optionalInt("checklists_signed") ?? 0)
        f.blockingHazards = Int(row.optionalInt("blocking_hazards") ?? 0)
        f.safetySigned = (row.optionalInt("safety_signed") ?? 0) != 0
        f.validPerMille = row.optionalInt("valid_per_mille").map(Int.init)
        return f
    }
}
