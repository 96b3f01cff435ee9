import WaymarkCore

/// Staff records, what their status is computed from, and their writes.
extension SQLStore {
    static let staffColumns = """
        s.id, s.organisation_id, s.staff_number, s.name, s.job_role, s.site_id, s.waymark_user, s.version, s.needs_access, s.registered,
        s.card_issued, s.trained, s.proficient, s.granted, s.overridden, s.refresher_due, s.ready_on
        """

    /// The people matching `condition` (on `staff s` joined to its employer `e`), with their other sites.
    func staff(_ condition: String, _ binds: [SQLValue], order: String = "s.id", limit: Int? = nil) async throws -> [StaffMember] {
        var people = try await database.fetch("""
            SELECT \(Self.staffColumns) FROM staff s JOIN organisation e ON e.id = s.organisation_id WHERE \(condition)
            ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
            """, binds).map { row in
            var person = StaffMember(id: row.int("id"), staffNumber: row.optionalString("staff_number"), name: row.string("name"),
                                     organisationID: row.int("organisation_id"), jobRole: row.string("job_role"), mainSiteID: row.int("site_id"),
                                     waymarkUser: row.optionalString("waymark_user"), version: Int(row.int("version")))
            person.status = Self.status(row)
            return person
        }
        guard !people.isEmpty else { return [] }
        var others: [Int64: [Int64]] = [:]
        for chunk in people.map(\.id).chunked(500) {
            for row in try await database.fetch("SELECT staff_id, organisation_id FROM staff_site WHERE staff_id IN (\(chunk.placeholders)) ORDER BY organisation_id",
                                                chunk.map { .integer($0) }) {
                others[row.int("staff_id"), default: []].append(row.int("organisation_id"))
            }
        }
        for i in people.indices { people[i].otherSiteIDs = others[people[i].id] ?? [] }
        return people
    }

    public func staffMember(id: Int64, scope: AccessScope) async throws -> StaffMember? {
        var conditions = ["s.id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = ScopeSQL.organisations(scope, prefix: "e.") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await staff(conditions.joined(separator: " AND "), binds).first
    }

    public func staffMembers(ids: [Int64]) async throws -> [StaffMember] {
        var found: [StaffMember] = []
        for chunk in ids.chunked(500) { found += try await staff("s.id IN (\(chunk.placeholders))", chunk.map { .integer($0) }) }
        return found
    }

    public func staffMembers(_ query: StaffQuery) async throws -> Page<StaffMember> {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = ScopeSQL.organisations(query.scope, prefix: "e.") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if let within = query.within {
            if let column = Self.ancestryColumn(within.kind) {
                conditions.append("e.\(column) = ?")
                binds.append(.integer(within.id))
            } else if within.kind == .supplier {
                conditions.append("1 = 0")
            }
        }
        if let role = query.jobRole {
            conditions.append("s.job_role = ?")
            binds.append(.text(role))
        }
        if let text = query.text?.trimmedWhitespace, !text.isEmpty {
            conditions.append("(lower(s.name) LIKE ? ESCAPE '\\' OR lower(s.staff_number) LIKE ? ESCAPE '\\')")
            binds += [Self.likePattern(text), Self.likePattern(text)]
        }
        if let after = query.after {
            conditions.append("(s.name, s.id) > (SELECT name, id FROM staff WHERE id = ?)")
            binds.append(.integer(after))
        }
        let limit = max(1, min(query.limit, 500))
        let people = try await staff(conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), binds,
                                     order: "s.name, s.id", limit: limit + 1)
        return Page(items: Array(people.prefix(limit)), nextCursor: people.count > limit ? people[limit - 1].id : nil)
    }

    public func staffNumbers(organisationIDs: [Int64]) async throws -> [Int64: [String: Int64]] {
        var numbers: [Int64: [String: Int64]] = [:]
        for chunk in Array(Set(organisationIDs)).chunked(500) {
            for row in try await database.fetch("""
                SELECT organisation_id, staff_number, id FROM staff WHERE staff_number IS NOT NULL AND organisation_id IN (\(chunk.placeholders))
                """, chunk.map { .integer($0) }) {
                numbers[row.int("organisation_id"), default: [:]][row.string("staff_number")] = row.int("id")
            }
        }
        return numbers
    }

    public func staffIDs(jobRoles: [String], organisationIDs: [Int64]) async throws -> [Int64] {
        guard !jobRoles.isEmpty, !organisationIDs.isEmpty else { return [] }
        let roles = jobRoles.map { SQLValue.text($0) }, orgs = organisationIDs.map { SQLValue.integer($0) }
        let rows = try await database.fetch("""
            SELECT s.id FROM staff s WHERE s.job_role IN (\(jobRoles.placeholders)) AND (s.organisation_id IN (\(organisationIDs.placeholders))
                OR s.site_id IN (\(organisationIDs.placeholders))
                OR s.id IN (SELECT staff_id FROM staff_site WHERE organisation_id IN (\(organisationIDs.placeholders))))
            ORDER BY s.id
            """, roles + orgs + orgs + orgs)
        return rows.map { $0.int("id") }
    }

    public func personRecords(staffIDs: [Int64]) async throws -> [Int64: PersonRecords] {
        var records = Dictionary(uniqueKeysWithValues: staffIDs.map { ($0, PersonRecords()) })
        for chunk in staffIDs.chunked(500) {
            let binds = chunk.map { SQLValue.integer($0) }
            for registration in try await registrations("r.staff_id IN (\(chunk.placeholders))", binds) {
                records[registration.staffID]?.registration = registration
            }
            for card in try await smartcards("staff_id IN (\(chunk.placeholders))", binds) { records[card.staffID]?.cards.append(card) }
            for row in try await database.fetch("""
                SELECT staff_id, course_code, passed, on_day, source, session_id FROM training_result WHERE staff_id IN (\(chunk.placeholders)) ORDER BY on_day, id
                """, binds) {
                records[row.int("staff_id")]?.results.append(Self.result(row))
            }
            for row in try await database.fetch("""
                SELECT b.staff_id, t.course_code FROM booking b JOIN training_session t ON t.id = b.session_id
                WHERE b.status = 'attended' AND b.staff_id IN (\(chunk.placeholders))
                """, binds) {
                records[row.int("staff_id")]?.attended.insert(row.string("course_code"))
            }
        }
        return records
    }

    public func applicableNeeds(organisationIDs: [Int64]) async throws -> [ApplicableNeed] {
        var needs: [ApplicableNeed] = []
        for chunk in Array(Set(organisationIDs)).chunked(500) {
            needs += try await database.fetch("""
                SELECT n.project_id, p.organisation_id, p.product_code, n.job_role, n.course_code FROM training_need n JOIN project p ON p.id = n.project_id
                WHERE p.state = 'live' AND p.organisation_id IN (\(chunk.placeholders))
                """, chunk.map { .integer($0) }).map {
                ApplicableNeed(projectID: $0.int("project_id"), organisationID: $0.int("organisation_id"), productCode: $0.string("product_code"),
                               jobRole: $0.string("job_role"), courseCode: $0.string("course_code"))
            }
        }
        return needs
    }

    public func saveStaff(_ people: [StaffMember], audit: AuditRecord) async throws -> [StaffMember] {
        var saved = people
        let ids = try await newIDs("staff", count: people.count(where: { $0.id == 0 }))
        var next = ids.makeIterator()
        var statements: [SQLStatement] = []
        var sites = Set<Int64>()
        for i in saved.indices {
            let person = saved[i]
            let fields: [SQLValue] = [.integer(person.organisationID), SQLValue(person.staffNumber), .text(person.name), .text(person.jobRole),
                                      .integer(person.mainSiteID), SQLValue(person.waymarkUser)] + Self.statusBinds(person.status)
            if person.id == 0 {
                saved[i].id = next.next()!
                saved[i].version = 1
                statements.append(SQLStatement("""
                    INSERT INTO staff (id, organisation_id, staff_number, name, job_role, site_id, waymark_user, needs_access, registered, card_issued,
                    trained, proficient, granted, overridden, refresher_due, ready_on, version) VALUES (?, \(Array(repeating: "?", count: 15).joined(separator: ", ")), 1)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [.integer(saved[i].id)] + fields, expectedRows: 1, onMismatch: .duplicate))
            } else {
                // The site it leaves is recounted too; the version guard below catches a move meanwhile.
                let old = try await database.fetch("SELECT site_id FROM staff WHERE id = ?", [.integer(person.id)]).first?.int("site_id")
                if let old { sites.insert(old) }
                statements.append(SQLStatement("""
                    UPDATE staff SET organisation_id = ?, staff_number = ?, name = ?, job_role = ?, site_id = ?, waymark_user = ?, needs_access = ?,
                    registered = ?, card_issued = ?, trained = ?, proficient = ?, granted = ?, overridden = ?, refresher_due = ?, ready_on = ?,
                    version = version + 1 WHERE id = ? AND version = ? RETURNING id
                    """, fields + [.integer(person.id), .integer(Int64(person.version))], expectedRows: 1))
                statements.append(SQLStatement("DELETE FROM staff_site WHERE staff_id = ?", [.integer(person.id)]))
                saved[i].version += 1
            }
            for site in person.otherSiteIDs {
                statements.append(SQLStatement("INSERT INTO staff_site (staff_id, organisation_id) VALUES (?, ?)", [.integer(saved[i].id), .integer(site)]))
            }
            sites.insert(person.mainSiteID)
        }
        var audit = audit
        if saved.count == 1 { audit.entityID = saved[0].id }
        try await writeAudited(statements + Self.refreshPeopleSites(sites), audit: audit)
        return saved
    }

    static func result(_ row: SQLRow) -> TrainingResult {
        TrainingResult(staffID: row.int("staff_id"), courseCode: row.string("course_code"), passed: row.int("passed") != 0,
                       on: Day(ordinal: Int(row.int("on_day"))), source: TrainingResult.Source(rawValue: row.string("source")) ?? .lms,
                       sessionID: row.optionalInt("session_id"))
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Collection {
    /// "?, ?, ?" for each element.
    var placeholders: String { map { _ in "?" }.joined(separator: ", ") }
}
