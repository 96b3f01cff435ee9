import WaymarkCore

/// Generated people records as seed rows (issue 15); each site's funnel row is counted after.
extension SQLStore {
    @_spi(Bench) public static func peopleLoadTables(_ people: PeopleRecords) -> [LoadTable] {
        var tables: [LoadTable] = []
        tables.append(("staff", ["id", "organisation_id", "staff_number", "name", "job_role", "site_id", "waymark_user", "version", "needs_access", "registered",
                                 "card_issued", "trained", "proficient", "granted", "overridden", "refresher_due", "ready_on"], people.staff.map { s in
            [.integer(s.id), .integer(s.organisationID), SQLValue(s.staffNumber), .text(s.name), .text(s.jobRole), .integer(s.mainSiteID), SQLValue(s.waymarkUser),
             .integer(Int64(s.version))] + statusBinds(s.status)
        }))
        tables.append(("staff_site", ["staff_id", "organisation_id"], people.staff.flatMap { s in s.otherSiteIDs.map { [.integer(s.id), .integer($0)] } }))
        tables.append(("training_need", ["project_id", "job_role", "course_code"], people.needs.map {
            [.integer($0.projectID), .text($0.need.jobRole), .text($0.need.courseCode)]
        }))
        tables.append(("registration", ["id", "staff_id", "ra_organisation_id", "status", "applied_on", "applied_by", "identity_documents", "identity_checked_by",
                                        "identity_checked_on", "profile", "products", "catalogue_version", "approved_by", "approved_on", "granted_by", "granted_on",
                                        "lead_days", "override_reason", "version"], people.registrations.map { r in
            [.integer(r.id), .integer(r.staffID), .integer(r.raOrganisationID), .text(r.status.rawValue), .integer(Int64(r.appliedOn.ordinal)), .text(r.appliedBy),
             .text(r.identityDocuments.map(\.rawValue).joined(separator: ",")), SQLValue(r.identityCheckedBy), SQLValue(r.identityCheckedOn?.ordinal),
             .text(profileText(r.positions)), .text(r.products.joined(separator: ",")), SQLValue(r.catalogueVersion), SQLValue(r.approvedBy),
             SQLValue(r.approvedOn?.ordinal), SQLValue(r.grantedBy), SQLValue(r.grantedOn?.ordinal), SQLValue(r.leadDays), SQLValue(r.overrideReason),
             .integer(Int64(r.version))]
        }))
        tables.append(("smartcard", ["uuid", "staff_id", "registration_id", "issued_on", "status", "status_on", "replaces"], people.cards.map { c in
            [.text(c.uuid), .integer(c.staffID), .integer(c.registrationID), .integer(Int64(c.issuedOn.ordinal)), .text(c.status.rawValue),
             .integer(Int64(c.statusOn.ordinal)), SQLValue(c.replaces)]
        }))
        // Parents before children, so that emptying them in reverse never checks a child table row by row.
        tables.append(("training_session", ["id", "course_code", "organisation_id", "venue", "on_day", "trainer_id", "capacity", "version"], people.sessions.map {
            [.integer($0.id), .text($0.courseCode), .integer($0.organisationID), .text($0.venue), .integer(Int64($0.on.ordinal)), .integer($0.trainerID),
             .integer(Int64($0.capacity)), .integer(Int64($0.version))]
        }))
        tables.append(("training_result", ["id", "staff_id", "course_code", "passed", "on_day", "source", "session_id"], people.results.enumerated().map { i, r in
            [.integer(Int64(i + 1)), .integer(r.staffID), .text(r.courseCode), .integer(r.passed ? 1 : 0), .integer(Int64(r.on.ordinal)), .text(r.source.rawValue),
             SQLValue(r.sessionID)]
        }))
        tables.append(("trainer_qualification", ["staff_id", "course_code", "qualified_on"], people.qualifications.map {
            [.integer($0.staffID), .text($0.courseCode), .integer(Int64($0.qualifiedOn.ordinal))]
        }))
        tables.append(("ra_equipment", ["organisation_id", "kits", "identity_agents", "version"], people.equipment.map {
            [.integer($0.organisationID), .integer(Int64($0.kits)), .integer(Int64($0.identityAgents)), .integer(Int64($0.version))]
        }))
        return tables
    }
}

extension SQLStore {
    /// The people tables, children first: what the bench empties before timing their load.
    @_spi(Bench) public static let peopleTables = ["evaluation", "booking", "training_result", "training_session", "trainer_qualification", "smartcard",
                                                   "registration", "training_need", "staff_site", "people_site", "ra_equipment", "staff"]

    /// Loads generated people into a database that holds their organisations and projects, in
    /// one transaction, and counts every site's funnel row.
    @_spi(Bench) public func loadPeople(_ people: PeopleRecords, progress: (@Sendable (Int, Int) -> Void)?) async throws {
        var (statements, rowsAfter) = Self.statements(loading: Self.peopleLoadTables(people))
        statements.append(Self.refreshAllPeopleSites)
        rowsAfter.append(rowsAfter.last ?? 0)
        let cumulative = rowsAfter, total = rowsAfter.last ?? 0
        try await database.write(statements, progress: progress.map { report in
            { @Sendable done in report(done == 0 ? 0 : cumulative[done - 1], total) }
        })
    }

    /// The bench's raw baselines: the national funnel as one plain SUM over the staff rows.
    @_spi(Bench) public static let nationalStaffSumSQL = "SELECT SUM(needs_access), SUM(registered), SUM(card_issued), SUM(trained), SUM(proficient), SUM(granted) FROM staff"
}

extension SQLStore {
    /// People whose registration waits at the card-issued step and who are proficient: the
    /// bench grants each of them access once.
    @_spi(Bench) public func grantCandidates(limit: Int) async throws -> [(staffID: Int64, version: Int)] {
        try await database.fetch("""
            SELECT r.staff_id, r.version FROM registration r JOIN staff s ON s.id = r.staff_id
            WHERE r.status = 'card-issued' AND s.proficient = 1 ORDER BY r.id LIMIT \(max(1, limit))
            """, []).map { ($0.int("staff_id"), Int($0.int("version"))) }
    }
}
