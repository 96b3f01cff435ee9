import WaymarkCore

/// Courses, the TNA, trainers, sessions, bookings, results and evaluations.
extension SQLStore {
    public func courses() async throws -> [Course] {
        try await database.fetch("SELECT code, title, mode, requires_basic_skills, valid_days, version FROM course ORDER BY code", []).map { row in
            Course(code: row.string("code"), title: row.string("title"), mode: Course.Mode(rawValue: row.string("mode")) ?? .classroom,
                   requiresBasicSkills: row.int("requires_basic_skills") != 0, validForDays: row.optionalInt("valid_days").map(Int.init),
                   version: Int(row.int("version")))
        }
    }

    public func saveCourse(_ course: Course, expectedVersion: Int?, audit: AuditRecord) async throws -> Course {
        let binds: [SQLValue] = [.text(course.title), .text(course.mode.rawValue), .integer(course.requiresBasicSkills ? 1 : 0), SQLValue(course.validForDays)]
        let statement = if let expectedVersion {
            SQLStatement("UPDATE course SET title = ?, mode = ?, requires_basic_skills = ?, valid_days = ?, version = version + 1 WHERE code = ? AND version = ? RETURNING code",
                         binds + [.text(course.code), .integer(Int64(expectedVersion))], expectedRows: 1)
        } else {
            SQLStatement("INSERT INTO course (title, mode, requires_basic_skills, valid_days, code, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING RETURNING code",
                         binds + [.text(course.code)], expectedRows: 1, onMismatch: .duplicate)
        }
        try await writeAudited([statement], audit: audit)
        var saved = course
        saved.version = (expectedVersion ?? 0) + 1
        return saved
    }

    public func trainingNeeds(projectID: Int64) async throws -> [TrainingNeed] {
        try await database.fetch("SELECT job_role, course_code FROM training_need WHERE project_id = ? ORDER BY job_role, course_code", [.integer(projectID)])
            .map { TrainingNeed(jobRole: $0.string("job_role"), courseCode: $0.string("course_code")) }
    }

    public func saveTrainingNeeds(projectID: Int64, _ needs: [TrainingNeed], statuses: [StatusUpdate], audit: AuditRecord) async throws {
        var statements = [SQLStatement("DELETE FROM training_need WHERE project_id = ?", [.integer(projectID)])]
        statements += needs.map {
            SQLStatement("INSERT INTO training_need (project_id, job_role, course_code) VALUES (?, ?, ?)", [.integer(projectID), .text($0.jobRole), .text($0.courseCode)])
        }
        var audit = audit
        audit.entityID = projectID
        try await writeAudited(statements + Self.statusStatements(statuses), audit: audit)
    }

    public func qualifications(staffIDs: [Int64]) async throws -> [TrainerQualification] {
        var found: [TrainerQualification] = []
        for chunk in staffIDs.chunked(500) {
            found += try await database.fetch("SELECT staff_id, course_code, qualified_on FROM trainer_qualification WHERE staff_id IN (\(chunk.placeholders)) ORDER BY course_code",
                                              chunk.map { .integer($0) }).map {
                TrainerQualification(staffID: $0.int("staff_id"), courseCode: $0.string("course_code"), qualifiedOn: Self.day($0, "qualified_on")!)
            }
        }
        return found
    }

    public func saveQualification(_ q: TrainerQualification, audit: AuditRecord) async throws {
        var audit = audit
        audit.entityID = q.staffID
        try await writeAudited([SQLStatement("""
            INSERT INTO trainer_qualification (staff_id, course_code, qualified_on) VALUES (?, ?, ?)
            ON CONFLICT (staff_id, course_code) DO UPDATE SET qualified_on = excluded.qualified_on
            """, [.integer(q.staffID), .text(q.courseCode), .integer(Int64(q.qualifiedOn.ordinal))])], audit: audit)
    }

    func sessions(_ condition: String, _ binds: [SQLValue], order: String = "t.on_day, t.id", limit: Int? = nil) async throws -> [TrainingSession] {
        try await database.fetch("""
            SELECT t.id, t.course_code, t.organisation_id, t.venue, t.on_day, t.trainer_id, t.capacity, t.version FROM training_session t
            JOIN organisation e ON e.id = t.organisation_id WHERE \(condition) ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
            """, binds).map { row in
            TrainingSession(id: row.int("id"), courseCode: row.string("course_code"), organisationID: row.int("organisation_id"), venue: row.string("venue"),
                            on: Self.day(row, "on_day")!, trainerID: row.int("trainer_id"), capacity: Int(row.int("capacity")), version: Int(row.int("version")))
        }
    }

    public func trainingSession(id: Int64) async throws -> TrainingSession? {
        try await sessions("t.id = ?", [.integer(id)]).first
    }

    public func trainingSessions(within organisation: Organisation, scope: AccessScope, from: Day?, limit: Int) async throws -> [TrainingSession] {
        var (conditions, binds) = Self.organisationConditions(within: organisation, scope: scope, alias: "e")
        if let from {
            conditions.append("t.on_day >= ?")
            binds.append(.integer(Int64(from.ordinal)))
        }
        return try await sessions(conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), binds, limit: max(1, min(limit, 500)))
    }

    public func saveTrainingSession(_ session: TrainingSession, expectedVersion: Int?, audit: AuditRecord) async throws -> TrainingSession {
        var saved = session
        let binds: [SQLValue] = [.text(session.courseCode), .integer(session.organisationID), .text(session.venue), .integer(Int64(session.on.ordinal)),
                                 .integer(session.trainerID), .integer(Int64(session.capacity))]
        let statement: SQLStatement
        if let expectedVersion {
            statement = SQLStatement("""
                UPDATE training_session SET course_code = ?, organisation_id = ?, venue = ?, on_day = ?, trainer_id = ?, capacity = ?, version = version + 1
                WHERE id = ? AND version = ? RETURNING id
                """, binds + [.integer(session.id), .integer(Int64(expectedVersion))], expectedRows: 1)
            saved.version = expectedVersion + 1
        } else {
            saved.id = try await newID("training_session")
            saved.version = 1
            statement = SQLStatement("INSERT INTO training_session (course_code, organisation_id, venue, on_day, trainer_id, capacity, id, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                                     binds + [.integer(saved.id)])
        }
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([statement], audit: audit)
        return saved
    }

    public func bookings(sessionID: Int64) async throws -> [Booking] {
        try await database.fetch("SELECT session_id, staff_id, status, booked_at FROM booking WHERE session_id = ? ORDER BY booked_at, staff_id",
                                 [.integer(sessionID)]).map {
            Booking(sessionID: $0.int("session_id"), staffID: $0.int("staff_id"), status: Booking.Status(rawValue: $0.string("status")) ?? .cancelled,
                    bookedAt: $0.string("booked_at"))
        }
    }

    public func saveBookings(sessionID: Int64, expectedVersion: Int, _ bookings: [Booking], results: [TrainingResult], statuses: [StatusUpdate],
                             audit: AuditRecord) async throws {
        var statements = [SQLStatement("UPDATE training_session SET version = version + 1 WHERE id = ? AND version = ? RETURNING id",
                                       [.integer(sessionID), .integer(Int64(expectedVersion))], expectedRows: 1)]
        statements += bookings.map { b in
            SQLStatement("""
                INSERT INTO booking (session_id, staff_id, status, booked_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (session_id, staff_id) DO UPDATE SET status = excluded.status, booked_at = excluded.booked_at
                """, [.integer(b.sessionID), .integer(b.staffID), .text(b.status.rawValue), .text(b.bookedAt)])
        }
        statements += try await resultStatements(results)
        var audit = audit
        audit.entityID = sessionID
        try await writeAudited(statements + Self.statusStatements(statuses), audit: audit)
    }

    func resultStatements(_ results: [TrainingResult]) async throws -> [SQLStatement] {
        let ids = try await newIDs("training_result", count: results.count)
        return Self.chunkedInsert("training_result", ["id", "staff_id", "course_code", "passed", "on_day", "source", "session_id"],
                                  zip(ids, results).map { id, r in
            [.integer(id), .integer(r.staffID), .text(r.courseCode), .integer(r.passed ? 1 : 0), .integer(Int64(r.on.ordinal)), .text(r.source.rawValue),
             SQLValue(r.sessionID)]
        })
    }

    public func addTrainingResults(_ results: [TrainingResult], statuses: [StatusUpdate], audit: AuditRecord) async throws {
        try await writeAudited(try await resultStatements(results) + Self.statusStatements(statuses), audit: audit)
    }

    public func evaluations(sessionIDs: [Int64]) async throws -> [Evaluation] {
        var found: [Evaluation] = []
        for chunk in sessionIDs.chunked(500) {
            found += try await database.fetch("""
                SELECT session_id, staff_id, content, trainer, pace, confidence, comment FROM evaluation WHERE session_id IN (\(chunk.placeholders))
                ORDER BY session_id, staff_id
                """, chunk.map { .integer($0) }).map { row in
                Evaluation(sessionID: row.int("session_id"), staffID: row.int("staff_id"),
                           ratings: ["content", "trainer", "pace", "confidence"].map { Int(row.int($0)) }, comment: row.string("comment"))
            }
        }
        return found
    }

    public func saveEvaluation(_ e: Evaluation, audit: AuditRecord) async throws {
        var audit = audit
        audit.entityID = e.sessionID
        try await writeAudited([SQLStatement("""
            INSERT INTO evaluation (session_id, staff_id, content, trainer, pace, confidence, comment) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING session_id
            """, [.integer(e.sessionID), .integer(e.staffID)] + e.ratings.map { .integer(Int64($0)) } + [.text(e.comment)],
            expectedRows: 1, onMismatch: .duplicate)], audit: audit)
    }
}
