import Foundation
import WaymarkCore

/// Plans are replaced whole on import or edit, so a plan's rows always come from one source;
/// the `plan` row's version guards against two imports crossing.
extension SQLStore {
    public func plan(projectID: Int64) async throws -> StoredPlan? {
        guard let head = try await database.fetch(
            """
            SELECT p.start_day, p.calendar, p.version, j.code AS project_code
            FROM plan p JOIN project j ON j.id = p.project_id WHERE p.project_id = ?
            """,
            [.integer(projectID)]).first else { return nil }
        let calendar = (try? JSONDecoder().decode(PlanCalendar.self, from: Data(head.string("calendar").utf8))) ?? PlanCalendar()
        let tasks = try await database.fetch(
            """
            SELECT task_id, wbs, name, duration, summary, constraint_kind, constraint_day, nsi_milestone
            FROM plan_task WHERE project_id = ? ORDER BY position
            """, [.integer(projectID)]).map { row in
            PlanTask(id: Int(row.int("task_id")), wbs: row.string("wbs"), name: row.string("name"), duration: Int(row.int("duration")),
                     isSummary: row.int("summary") != 0,
                     constraint: row.optionalString("constraint_kind").flatMap(ConstraintKind.init(rawValue:)).flatMap { kind in
                         row.optionalInt("constraint_day").map { TaskConstraint(kind, Day(ordinal: Int($0))) } },
                     nsiMilestone: row.optionalString("nsi_milestone").flatMap(MilestoneKind.init(rawValue:)))
        }
        let dependencies = try await database.fetch(
            "SELECT successor_id, predecessor_project, predecessor_id, kind, lag FROM plan_dependency WHERE project_id = ? ORDER BY position",
            [.integer(projectID)]).map { row in
            Dependency(predecessor: TaskReference(projectCode: row.optionalString("predecessor_project"), taskID: Int(row.int("predecessor_id"))),
                       successorID: Int(row.int("successor_id")), kind: DependencyKind(rawValue: row.string("kind")) ?? .finishToStart,
                       lag: Int(row.int("lag")))
        }
        let plan = ProjectPlan(projectCode: head.string("project_code"), start: Day(ordinal: Int(head.int("start_day"))), tasks: tasks,
                               dependencies: dependencies, calendar: calendar)
        return StoredPlan(plan: plan, version: Int(head.int("version")))
    }

    public func savePlan(_ plan: ProjectPlan, projectID: Int64, expectedVersion: Int?, audit: AuditRecord) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let calendar = String(decoding: try encoder.encode(plan.calendar), as: UTF8.self)
        var statements: [SQLStatement]
        if let expectedVersion {
            statements = [
                SQLStatement("UPDATE plan SET start_day = ?, calendar = ?, version = version + 1 WHERE project_id = ? AND version = ? RETURNING project_id",
                             [.integer(Int64(plan.start.ordinal)), .text(calendar), .integer(projectID), .integer(Int64(expectedVersion))],
                             expectedRows: 1),
                SQLStatement("DELETE FROM plan_dependency WHERE project_id = ?", [.integer(projectID)]),
                SQLStatement("DELETE FROM plan_task WHERE project_id = ?", [.integer(projectID)]),
            ]
        } else {
            statements = [SQLStatement(
                "INSERT INTO plan (project_id, start_day, calendar, version) VALUES (?, ?, ?, 1) ON CONFLICT (project_id) DO NOTHING RETURNING project_id",
                [.integer(projectID), .integer(Int64(plan.start.ordinal)), .text(calendar)], expectedRows: 1)]
        }
        // Multi-row inserts in chunks keep a 10,000-task plan to a few hundred statements.
        statements += Self.chunkedInsert(
            "plan_task", ["project_id", "task_id", "position", "wbs", "name", "duration", "summary", "constraint_kind", "constraint_day", "nsi_milestone"],
            plan.tasks.enumerated().map { position, task in
                [.integer(projectID), .integer(Int64(task.id)), .integer(Int64(position)), .text(task.wbs), .text(task.name),
                 .integer(Int64(task.duration)), .integer(task.isSummary ? 1 : 0), SQLValue(task.constraint?.kind.rawValue),
                 SQLValue(task.constraint?.date.ordinal), SQLValue(task.nsiMilestone?.rawValue)]
            })
        statements += Self.chunkedInsert(
            "plan_dependency", ["project_id", "position", "successor_id", "predecessor_project", "predecessor_id", "kind", "lag"],
            plan.dependencies.enumerated().map { position, dependency in
                [.integer(projectID), .integer(Int64(position)), .integer(Int64(dependency.successorID)),
                 SQLValue(dependency.predecessor.projectCode), .integer(Int64(dependency.predecessor.taskID)),
                 .text(dependency.kind.rawValue), .integer(Int64(dependency.lag))]
            })
        try await writeAudited(statements, audit: audit)
        return (expectedVersion ?? 0) + 1
    }

    static func chunkedInsert(_ table: String, _ columns: [String], _ rows: [[SQLValue]]) -> [SQLStatement] {
        // Both backends cap bound parameters (SQLite 32,766; PostgreSQL 65,535).
        let perStatement = max(1, 30_000 / columns.count)
        return stride(from: 0, to: rows.count, by: perStatement).map { start in
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            return SQLStatement("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                                + Array(repeating: tuple, count: chunk.count).joined(separator: ", "), chunk.flatMap { $0 })
        }
    }

    public func baselines(projectID: Int64) async throws -> [PlanBaseline] {
        let heads = try await database.fetch("SELECT id, name, saved_at FROM plan_baseline WHERE project_id = ? ORDER BY saved_at, id",
                                             [.integer(projectID)])
        guard !heads.isEmpty else { return [] }
        var tasks: [Int64: [Int: BaselineDates]] = [:]
        for row in try await database.fetch(
            """
            SELECT b.baseline_id, b.task_id, b.start_day, b.finish_day, b.duration FROM plan_baseline_task b
            JOIN plan_baseline h ON h.id = b.baseline_id WHERE h.project_id = ?
            """, [.integer(projectID)]) {
            tasks[row.int("baseline_id"), default: [:]][Int(row.int("task_id"))] = BaselineDates(
                start: Day(ordinal: Int(row.int("start_day"))), finish: Day(ordinal: Int(row.int("finish_day"))),
                duration: Int(row.int("duration")))
        }
        return heads.map { PlanBaseline(name: $0.string("name"), savedAt: $0.string("saved_at"), tasks: tasks[$0.int("id")] ?? [:]) }
    }

    public func saveBaseline(_ baseline: PlanBaseline, projectID: Int64, audit: AuditRecord) async throws {
        let id = Self.newID()
        var statements = [SQLStatement(
            "INSERT INTO plan_baseline (id, project_id, name, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, name) DO NOTHING RETURNING id",
            [.integer(id), .integer(projectID), .text(baseline.name), .text(baseline.savedAt)], expectedRows: 1, onMismatch: .duplicate)]
        statements += Self.chunkedInsert("plan_baseline_task", ["baseline_id", "task_id", "start_day", "finish_day", "duration"],
                                         baseline.tasks.sorted { $0.key < $1.key }.map { taskID, dates in
            [.integer(id), .integer(Int64(taskID)), .integer(Int64(dates.start.ordinal)), .integer(Int64(dates.finish.ordinal)),
             .integer(Int64(dates.duration))]
        })
        try await writeAudited(statements, audit: audit)
    }

    public func dependentProjectCodes(of projectCode: String) async throws -> [String] {
        try await database.fetch(
            """
            SELECT DISTINCT j.code FROM plan_dependency d JOIN project j ON j.id = d.project_id
            WHERE d.predecessor_project = ? ORDER BY j.code
            """, [.text(projectCode.uppercased())]).map { $0.string("code") }
    }

    public func calendarExceptions(organisationIDs: [Int64]) async throws -> [CalendarException] {
        guard !organisationIDs.isEmpty else { return [] }
        return try await database.fetch(
            "SELECT organisation_id, day, working, note FROM calendar_exception WHERE organisation_id IN ("
                + Array(repeating: "?", count: organisationIDs.count).joined(separator: ", ") + ") ORDER BY day",
            organisationIDs.map { .integer($0) }).map {
            CalendarException(organisationID: $0.int("organisation_id"), day: Day(ordinal: Int($0.int("day"))), working: $0.int("working") != 0,
                              note: $0.string("note"))
        }
    }

    public func saveCalendarException(_ exception: CalendarException, audit: AuditRecord) async throws {
        try await writeAudited([
            SQLStatement("DELETE FROM calendar_exception WHERE organisation_id = ? AND day = ?",
                         [.integer(exception.organisationID), .integer(Int64(exception.day.ordinal))]),
            SQLStatement("INSERT INTO calendar_exception (organisation_id, day, working, note) VALUES (?, ?, ?, ?)",
                         [.integer(exception.organisationID), .integer(Int64(exception.day.ordinal)),
                          .integer(exception.working ? 1 : 0), .text(exception.note)]),
        ], audit: audit)
    }
}
