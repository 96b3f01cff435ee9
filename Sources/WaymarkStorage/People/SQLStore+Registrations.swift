import WaymarkCore

/// RA registrations, smartcards and RA equipment.
extension SQLStore {
    static let registrationColumns = """
        r.id, r.staff_id, r.ra_organisation_id, r.status, r.applied_on, r.applied_by, r.identity_documents, r.identity_checked_by,
        r.identity_checked_on, r.profile, r.products, r.catalogue_version, r.approved_by, r.approved_on, r.granted_by, r.granted_on,
        r.override_reason, r.version
        """

    func registrations(_ condition: String, _ binds: [SQLValue], order: String = "r.id", limit: Int? = nil) async throws -> [Registration] {
        try await database.fetch("SELECT \(Self.registrationColumns) FROM registration r JOIN organisation e ON e.id = r.ra_organisation_id WHERE \(condition) "
                                 + "ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")", binds).map { row in
            var r = Registration(id: row.int("id"), staffID: row.int("staff_id"), raOrganisationID: row.int("ra_organisation_id"),
                                 appliedOn: Self.day(row, "applied_on")!, appliedBy: row.string("applied_by"), version: Int(row.int("version")))
            r.status = Registration.Status(rawValue: row.string("status")) ?? .applied
            r.identityDocuments = row.string("identity_documents").split(separator: ",").compactMap { IdentityDocument(rawValue: String($0)) }
            r.identityCheckedBy = row.optionalString("identity_checked_by")
            r.identityCheckedOn = Self.day(row, "identity_checked_on")
            r.positions = Self.positions(row.string("profile"))
            r.products = row.string("products").split(separator: ",").map(String.init)
            r.catalogueVersion = row.optionalInt("catalogue_version").map(Int.init)
            r.approvedBy = row.optionalString("approved_by")
            r.approvedOn = Self.day(row, "approved_on")
            r.grantedBy = row.optionalString("granted_by")
            r.grantedOn = Self.day(row, "granted_on")
            r.overrideReason = row.optionalString("override_reason")
            return r
        }
    }

    static func day(_ row: SQLRow, _ column: String) -> Day? { row.optionalInt(column).map { Day(ordinal: Int($0)) } }

    /// A profile is stored as "role@organisation@workgroup" entries separated by ";".
    static func profileText(_ positions: [AccessPosition]) -> String {
        positions.map { "\($0.jobRole)@\($0.organisationID)@\($0.workgroup)" }.joined(separator: ";")
    }

    static func positions(_ text: String) -> [AccessPosition] {
        text.split(separator: ";").compactMap { entry in
            let parts = entry.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let id = Int64(parts[1]) else { return nil }
            return AccessPosition(jobRole: parts[0], organisationID: id, workgroup: parts[2])
        }
    }

    func smartcards(_ condition: String, _ binds: [SQLValue]) async throws -> [Smartcard] {
        try await database.fetch("SELECT uuid, staff_id, registration_id, issued_on, status, status_on, replaces FROM smartcard WHERE \(condition) ORDER BY issued_on, uuid",
                                 binds).map { row in
            Smartcard(uuid: row.string("uuid"), staffID: row.int("staff_id"), registrationID: row.int("registration_id"),
                      issuedOn: Self.day(row, "issued_on")!, status: Smartcard.Status(rawValue: row.string("status")) ?? .cancelled,
                      statusOn: Self.day(row, "status_on"), replaces: row.optionalString("replaces"))
        }
    }

    public func registration(id: Int64) async throws -> Registration? {
        try await registrations("r.id = ?", [.integer(id)]).first
    }

    public func registration(staffID: Int64) async throws -> Registration? {
        // A person may register again after leaving; the latest registration is theirs now.
        try await registrations("r.staff_id = ?", [.integer(staffID)], order: "r.id DESC", limit: 1).first
    }

    public func registrations(within organisation: Organisation, scope: AccessScope, status: Registration.Status?,
                              after: Int64?, limit: Int) async throws -> Page<Registration> {
        var (conditions, binds) = Self.organisationConditions(within: organisation, scope: scope, alias: "e")
        if let status {
            conditions.append("r.status = ?")
            binds.append(.text(status.rawValue))
        }
        if let after {
            conditions.append("r.id < ?")
            binds.append(.integer(after))
        }
        let limit = max(1, min(limit, 500))
        let found = try await registrations(conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), binds,
                                            order: "r.id DESC", limit: limit + 1)
        return Page(items: Array(found.prefix(limit)), nextCursor: found.count > limit ? found[limit - 1].id : nil)
    }

    /// Conditions on an organisation aliased `alias`: at or below `organisation`, and in scope.
    static func organisationConditions(within organisation: Organisation, scope: AccessScope, alias: String) -> ([String], [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let column = ancestryColumn(organisation.kind) {
            conditions.append("\(alias).\(column) = ?")
            binds.append(.integer(organisation.id))
        } else if organisation.kind == .supplier {
            // A supplier's: the organisations where it delivers a project, and everything below them.
            conditions.append("""
                EXISTS (SELECT 1 FROM project p WHERE p.supplier_id = ? AND (p.organisation_id = \(alias).id OR p.organisation_id = \(alias).trust_id))
                """)
            binds.append(.integer(organisation.id))
        }
        if let scoped = ScopeSQL.organisations(scope, prefix: "\(alias).") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return (conditions, binds)
    }

    public func smartcards(staffID: Int64) async throws -> [Smartcard] {
        try await smartcards("staff_id = ?", [.integer(staffID)])
    }

    public func smartcard(uuid: String) async throws -> Smartcard? {
        try await smartcards("uuid = ?", [.text(uuid)]).first
    }

    public func saveRegistration(_ registration: Registration, expectedVersion: Int?, cards: [Smartcard], status: StatusUpdate,
                                 audit: AuditRecord) async throws -> Registration {
        var saved = registration
        let r = registration
        let fields: [SQLValue] = [
            .text(r.status.rawValue), .text(r.identityDocuments.map(\.rawValue).joined(separator: ",")), SQLValue(r.identityCheckedBy),
            SQLValue(r.identityCheckedOn.map { Int64($0.ordinal) }), .text(Self.profileText(r.positions)), .text(r.products.joined(separator: ",")),
            SQLValue(r.catalogueVersion), SQLValue(r.approvedBy), SQLValue(r.approvedOn.map { Int64($0.ordinal) }), SQLValue(r.grantedBy),
            SQLValue(r.grantedOn.map { Int64($0.ordinal) }), SQLValue(r.leadDays), SQLValue(r.overrideReason),
        ]
        var statements: [SQLStatement] = []
        if let expectedVersion {
            statements.append(SQLStatement("""
                UPDATE registration SET status = ?, identity_documents = ?, identity_checked_by = ?, identity_checked_on = ?, profile = ?, products = ?,
                catalogue_version = ?, approved_by = ?, approved_on = ?, granted_by = ?, granted_on = ?, lead_days = ?, override_reason = ?,
                version = version + 1 WHERE id = ? AND version = ? RETURNING id
                """, fields + [.integer(r.id), .integer(Int64(expectedVersion))], expectedRows: 1))
            saved.version = expectedVersion + 1
        } else {
            saved.id = try await newID("registration")
            saved.version = 1
            statements.append(SQLStatement("""
                INSERT INTO registration (id, staff_id, ra_organisation_id, applied_on, applied_by, status, identity_documents, identity_checked_by,
                identity_checked_on, profile, products, catalogue_version, approved_by, approved_on, granted_by, granted_on, lead_days, override_reason, version)
                VALUES (?, ?, ?, ?, ?, \(fields.placeholders), 1) ON CONFLICT DO NOTHING RETURNING id
                """, [.integer(saved.id), .integer(r.staffID), .integer(r.raOrganisationID), .integer(Int64(r.appliedOn.ordinal)), .text(r.appliedBy)] + fields,
                expectedRows: 1, onMismatch: .duplicate))
        }
        for card in cards {
            statements.append(SQLStatement("""
                INSERT INTO smartcard (uuid, staff_id, registration_id, issued_on, status, status_on, replaces) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (uuid) DO UPDATE SET status = excluded.status, status_on = excluded.status_on
                WHERE smartcard.staff_id = excluded.staff_id RETURNING uuid
                """, [.text(card.uuid), .integer(card.staffID), .integer(saved.id), .integer(Int64(card.issuedOn.ordinal)), .text(card.status.rawValue),
                      .integer(Int64(card.statusOn.ordinal)), SQLValue(card.replaces)], expectedRows: 1, onMismatch: .duplicate))
        }
        statements += Self.statusStatements([status])
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func leadTimes(within organisation: Organisation, scope: AccessScope) async throws -> [(raOrganisationID: Int64, days: Int, count: Int)] {
        let (conditions, binds) = Self.organisationConditions(within: organisation, scope: scope, alias: "e")
        return try await database.fetch("""
            SELECT r.ra_organisation_id, r.lead_days, COUNT(*) AS n FROM registration r JOIN organisation e ON e.id = r.ra_organisation_id
            \((conditions + ["r.lead_days IS NOT NULL"]).whereClause) GROUP BY r.ra_organisation_id, r.lead_days
            """, binds).map { ($0.int("ra_organisation_id"), Int($0.int("lead_days")), Int($0.int("n"))) }
    }

    public func raEquipment(organisationIDs: [Int64]) async throws -> [Int64: RAEquipment] {
        var found: [Int64: RAEquipment] = [:]
        for chunk in organisationIDs.chunked(500) {
            for row in try await database.fetch("SELECT organisation_id, kits, identity_agents, version FROM ra_equipment WHERE organisation_id IN (\(chunk.placeholders))",
                                                chunk.map { .integer($0) }) {
                found[row.int("organisation_id")] = RAEquipment(organisationID: row.int("organisation_id"), kits: Int(row.int("kits")),
                                                                identityAgents: Int(row.int("identity_agents")), version: Int(row.int("version")))
            }
        }
        return found
    }

    public func saveRAEquipment(_ equipment: RAEquipment, expectedVersion: Int?, audit: AuditRecord) async throws -> RAEquipment {
        let binds: [SQLValue] = [.integer(Int64(equipment.kits)), .integer(Int64(equipment.identityAgents))]
        let statement = if let expectedVersion {
            SQLStatement("UPDATE ra_equipment SET kits = ?, identity_agents = ?, version = version + 1 WHERE organisation_id = ? AND version = ? RETURNING organisation_id",
                         binds + [.integer(equipment.organisationID), .integer(Int64(expectedVersion))], expectedRows: 1)
        } else {
            SQLStatement("INSERT INTO ra_equipment (kits, identity_agents, organisation_id, version) VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING RETURNING organisation_id",
                         binds + [.integer(equipment.organisationID)], expectedRows: 1)
        }
        var audit = audit
        audit.entityID = equipment.organisationID
        try await writeAudited([statement], audit: audit)
        var saved = equipment
        saved.version = (expectedVersion ?? 0) + 1
        return saved
    }
}
