import WaymarkCore

/// Organisation changes (issue 13). Organisations are never deleted: closing sets `closed_on`.
extension SQLStore {
    static let organisationsMigration = Migration(version: 13, name: "organisation postcode, opening and closing dates") { _ in
        [
            "ALTER TABLE organisation ADD COLUMN postcode TEXT",
            "ALTER TABLE organisation ADD COLUMN opened_on INTEGER",
            "ALTER TABLE organisation ADD COLUMN closed_on INTEGER",
        ]
    }

    /// The tables that copy an organisation's ancestry onto their rows, so that a subtree is
    /// one indexed equality. A move rewrites them all. Change control keeps the cluster whose
    /// board decided it, as history.
    static let ancestryTables = ["organisation", "project", "project_document", "gate_decision", "hazard", "tracking_item", "lesson"]

    /// The values of `organisationColumns`, in order.
    static func organisationValues(_ o: Organisation) -> [SQLValue] {
        [.integer(o.id), .text(o.code), .text(o.name), .text(o.kind.rawValue), SQLValue(o.subtype), SQLValue(o.parentID),
         SQLValue(o.supplierRole?.rawValue), SQLValue(o.ancestry.clusterID), SQLValue(o.ancestry.shaID),
         SQLValue(o.ancestry.lhcID), SQLValue(o.ancestry.trustID), SQLValue(o.ancestry.siteID), .integer(Int64(o.version)),
         SQLValue(o.postcode), SQLValue(o.openedOn.map { Int64($0.ordinal) }), SQLValue(o.closedOn.map { Int64($0.ordinal) })]
    }

    public func createOrganisation(_ organisation: Organisation, parent: Organisation?, audit: AuditRecord) async throws -> Organisation {
        let taken = try await database.fetch("SELECT id FROM organisation WHERE code = ?", [.text(organisation.code)])
        guard taken.isEmpty else { throw StorageError(.duplicate, "\(organisation.code) is already an organisation's code.") }
        var saved = organisation
        saved.id = try await newID("organisation")
        saved.parentID = parent?.id
        saved.ancestry = (parent?.ancestry ?? Ancestry()).extended(with: saved.id, kind: saved.kind)
        saved.version = 1
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([Self.insert("organisation", Self.organisationColumns.components, Self.organisationValues(saved))],
                               audit: audit)
        return saved
    }

    public func updateOrganisation(_ organisation: Organisation, expectedVersion: Int, audit: AuditRecord) async throws -> Organisation {
        var sql = """
            UPDATE organisation SET name = ?, subtype = ?, postcode = ?, opened_on = ?, closed_on = ?, version = version + 1
            WHERE id = ? AND version = ?
            """
        var binds: [SQLValue] = [.text(organisation.name), SQLValue(organisation.subtype), SQLValue(organisation.postcode),
                                 SQLValue(organisation.openedOn.map { Int64($0.ordinal) }),
                                 SQLValue(organisation.closedOn.map { Int64($0.ordinal) }),
                                 .integer(organisation.id), .integer(Int64(expectedVersion))]
        if organisation.closedOn != nil {
            // Closing re-checks, in the same statement, that nothing live was added meanwhile.
            let (condition, values) = Self.nothingLiveBelow(organisation)
            sql += " AND " + condition
            binds += values
        }
        try await writeAudited([SQLStatement(sql + " RETURNING version", binds, expectedRows: 1)], audit: audit)
        var saved = organisation
        saved.version = expectedVersion + 1
        return saved
    }

    public func moveOrganisation(_ organisation: Organisation, to parent: Organisation, expectedVersion: Int, today: Day,
                                 audit: AuditRecord) async throws -> Organisation {
        guard Self.ancestryColumn(organisation.kind) != nil else {
            throw StorageError(.conflict, "\(organisation.kind.title) organisations do not move.")
        }
        var moved = organisation
        moved.parentID = parent.id
        moved.ancestry = parent.ancestry.extended(with: organisation.id, kind: organisation.kind)
        var statements = [SQLStatement("UPDATE organisation SET parent_id = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING version",
                                       [.integer(parent.id), .integer(organisation.id), .integer(Int64(expectedVersion))], expectedRows: 1)]
        // Only the levels above the moved organisation change, on every row below it.
        statements += Self.ancestryRewrite(of: moved)
        // Under its new parent, other contracts may cover its projects.
        statements += try await suppliersFollow(moved, today: today)
        try await writeAudited(statements, audit: audit)
        moved.version = expectedVersion + 1
        return moved
    }

    public func projectCount(within organisation: Organisation) async throws -> Int {
        let (condition, binds) = Self.projectsWithin(organisation)
        return Int(try await database.fetch("SELECT COUNT(*) AS projects FROM project WHERE \(condition)", binds).first?.int("projects") ?? 0)
    }

    public func openChildCount(of organisation: Organisation) async throws -> Int {
        Int(try await database.fetch("SELECT COUNT(*) AS children FROM organisation WHERE parent_id = ? AND closed_on IS NULL",
                                     [.integer(organisation.id)]).first?.int("children") ?? 0)
    }

    /// Projects at or below an organisation; a supplier's are those it delivers.
    static func projectsWithin(_ organisation: Organisation) -> (String, [SQLValue]) {
        if let column = ancestryColumn(organisation.kind) { return ("\(column) = ?", [.integer(organisation.id)]) }
        return organisation.kind == .supplier ? ("supplier_id = ?", [.integer(organisation.id)]) : ("1 = 1", [])
    }

    /// No project at or below `organisation`, and no open organisation directly below it.
    static func nothingLiveBelow(_ organisation: Organisation) -> (String, [SQLValue]) {
        let (projects, binds) = projectsWithin(organisation)
        return ("NOT EXISTS (SELECT 1 FROM project WHERE \(projects)) "
                + "AND NOT EXISTS (SELECT 1 FROM organisation child WHERE child.parent_id = ? AND child.closed_on IS NULL)",
                binds + [.integer(organisation.id)])
    }
}

extension OrganisationKind {
    /// Whether this level is an ancestor level of `other` in the hierarchy (cluster above SHA…).
    func isAbove(_ other: OrganisationKind) -> Bool {
        let order: [OrganisationKind] = [.national, .cluster, .sha, .lhc, .trust, .site]
        guard let mine = order.firstIndex(of: self), let theirs = order.firstIndex(of: other) else { return false }
        return mine < theirs
    }
}

// MARK: Import

extension SQLStore {
    /// Applies an import plan computed against `existing` in one transaction with one audit
    /// entry: additions and moves top-down (each level's parents are in place before it), then
    /// closures bottom-up (children close before their parents). Any record changed since the
    /// plan was made (`.conflict`), or anything live below a closure, rolls all of it back.
    public func applyOrganisationImport(_ plan: OrganisationImport.Plan, existing: [String: Organisation], today: Day,
                                        audit: AuditRecord) async throws {
        var known = existing
        var ids = try await newIDs("organisation", count: plan.additions.count)[...]
        var statements: [SQLStatement] = []
        let order: [OrganisationKind] = [.supplier, .cluster, .sha, .lhc, .trust, .site]
        for kind in order {
            for row in plan.additions where row.kind == kind {
                let parent = row.parentCode.flatMap { known[$0] }
                let id = ids.removeFirst()
                let organisation = Organisation(id: id, code: row.code, name: row.name, kind: row.kind, subtype: row.subtype, parentID: parent?.id,
                                                ancestry: (parent?.ancestry ?? Ancestry()).extended(with: id, kind: row.kind),
                                                postcode: row.postcode, openedOn: row.openedOn ?? today, closedOn: row.closedOn)
                statements.append(Self.insert("organisation", Self.organisationColumns.components, Self.organisationValues(organisation)))
                known[row.code] = organisation
            }
            for change in plan.changes where change.before.kind == kind {
                var after = change.after
                after.closedOn = change.closes ? nil : after.closedOn
                var sets = "name = ?, subtype = ?, postcode = ?, opened_on = ?, closed_on = ?"
                var binds: [SQLValue] = [.text(after.name), SQLValue(after.subtype), SQLValue(after.postcode), SQLValue(after.openedOn.map { Int64($0.ordinal) }),
                                         SQLValue(after.closedOn.map { Int64($0.ordinal) })]
                if let code = change.newParentCode, let parent = known[code] {
                    sets += ", parent_id = ?"
                    binds.append(.integer(parent.id))
                    after.parentID = parent.id
                    after.ancestry = parent.ancestry.extended(with: after.id, kind: after.kind)
                }
                statements.append(SQLStatement("UPDATE organisation SET \(sets), version = version + 1 WHERE id = ? AND version = ? RETURNING version",
                                               binds + [.integer(after.id), .integer(Int64(change.before.version))], expectedRows: 1))
                if change.newParentCode != nil {
                    statements += Self.ancestryRewrite(of: after)
                    statements += try await suppliersFollow(after, today: today)
                    // Rows below it, read before the move, now carry its new ancestry too.
                    for (code, organisation) in known where organisation.ancestry.id(at: after.kind) == after.id && code != after.code {
                        var moved = organisation
                        for level in order where level.isAbove(after.kind) {
                            moved.ancestry = moved.ancestry.replacing(level, with: after.ancestry.id(at: level))
                        }
                        known[code] = moved
                    }
                }
                known[after.code] = after
            }
        }
        for kind in order.reversed() {
            for change in plan.closures where change.before.kind == kind {
                let closing = change.after
                let (condition, binds) = Self.nothingLiveBelow(closing)
                statements.append(SQLStatement(
                    "UPDATE organisation SET closed_on = ?, version = version + 1 WHERE id = ? AND closed_on IS NULL AND \(condition) RETURNING version",
                    [SQLValue(closing.closedOn.map { Int64($0.ordinal) }), .integer(closing.id)] + binds, expectedRows: 1))
            }
        }
        try await writeAudited(statements, audit: audit)
    }

    /// Re-derives the supplier of every project below a moved organisation.
    func suppliersFollow(_ organisation: Organisation, today: Day) async throws -> [SQLStatement] {
        guard let column = Self.ancestryColumn(organisation.kind) else { return [] }
        return Self.supplierRederivation(where: "\(column) = ?", [.integer(organisation.id)], today: today,
                                         national: try await national()?.id ?? 0)
    }

    /// The statements that give every row below `organisation` its new ancestry above its level.
    static func ancestryRewrite(of organisation: Organisation) -> [SQLStatement] {
        guard let own = ancestryColumn(organisation.kind) else { return [] }
        let above: [(String, Int64?)] = OrganisationKind.allCases
            .filter { $0.isAbove(organisation.kind) }
            .compactMap { kind in ancestryColumn(kind).map { ($0, organisation.ancestry.id(at: kind)) } }
        guard !above.isEmpty else { return [] }
        return ancestryTables.map { table in
            SQLStatement("UPDATE \(table) SET " + above.map { "\($0.0) = ?" }.joined(separator: ", ") + " WHERE \(own) = ?",
                         above.map { SQLValue($0.1) } + [.integer(organisation.id)])
        }
    }

    /// Every organisation, by code, for planning an import against.
    public func organisationsByCode() async throws -> [String: Organisation] {
        let rows = try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation", [])
        return Dictionary(uniqueKeysWithValues: rows.map { Self.organisation(from: $0) }.map { ($0.code, $0) })
    }
}
