import WaymarkCore

/// The one implementation of the repositories, over any `SQLDatabase`. SQLite and PostgreSQL
/// differ only below `SQLDatabase`; see docs/design/storage.md.
public struct SQLStore: WaymarkStore {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    public func migrate() async throws { try await SQLMigrator(database: database).migrate() }

    static let organisationColumns =
        "id, code, name, kind, subtype, parent_id, supplier_role, cluster_id, sha_id, lhc_id, trust_id, site_id, version"

    static func organisation(from row: SQLRow, offset o: Int = 0) -> Organisation {
        Organisation(
            id: row.int(o), code: row.string(o + 1), name: row.string(o + 2),
            kind: OrganisationKind(rawValue: row.string(o + 3)) ?? .site, subtype: row.optionalString(o + 4),
            parentID: row.optionalInt(o + 5), supplierRole: row.optionalString(o + 6).flatMap(SupplierRole.init(rawValue:)),
            ancestry: Ancestry(clusterID: row.optionalInt(o + 7), shaID: row.optionalInt(o + 8), lhcID: row.optionalInt(o + 9),
                               trustID: row.optionalInt(o + 10), siteID: row.optionalInt(o + 11)),
            version: Int(row.int(o + 12)))
    }

    /// The column that holds the ancestor id at `kind`'s level, on both organisation and project rows.
    static func ancestryColumn(_ kind: OrganisationKind) -> String? {
        switch kind {
        case .cluster: "cluster_id"
        case .sha: "sha_id"
        case .lhc: "lhc_id"
        case .trust: "trust_id"
        case .site: "site_id"
        case .national, .supplier: nil
        }
    }

    static func likePattern(_ text: String) -> SQLValue {
        let escaped = text.lowercased().flatMap { c -> [Character] in
            c == "%" || c == "_" || c == "\\" ? ["\\", c] : [c]
        }
        return .text("%" + String(escaped) + "%")
    }

    public func organisation(code: String) async throws -> Organisation? {
        try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation WHERE code = ?", [.text(code.uppercased())])
            .first.map { Self.organisation(from: $0) }
    }

    public func organisation(id: Int64) async throws -> Organisation? {
        try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation WHERE id = ?", [.integer(id)])
            .first.map { Self.organisation(from: $0) }
    }

    public func national() async throws -> Organisation? {
        try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation WHERE kind = 'national' ORDER BY id LIMIT 1", [])
            .first.map { Self.organisation(from: $0) }
    }

    public func organisations(_ query: OrganisationQuery) async throws -> Page<Organisation> {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let kind = query.kind {
            conditions.append("kind = ?")
            binds.append(.text(kind.rawValue))
        }
        if let parentID = query.parentID {
            conditions.append("parent_id = ?")
            binds.append(.integer(parentID))
        }
        if let within = query.within {
            if within.kind == .supplier {
                conditions.append("id IN (SELECT organisation_id FROM supplier_coverage WHERE supplier_id = ?)")
                binds.append(.integer(within.id))
            } else {
                if let column = Self.ancestryColumn(within.kind) {
                    conditions.append("\(column) = ?")
                    binds.append(.integer(within.id))
                } else {
                    conditions.append("kind <> 'supplier'")
                }
                conditions.append("id <> ?")
                binds.append(.integer(within.id))
            }
        }
        if let text = query.text?.trimmed, !text.isEmpty {
            conditions.append("(lower(name) LIKE ? ESCAPE '\\' OR lower(code) LIKE ? ESCAPE '\\')")
            binds += [Self.likePattern(text), Self.likePattern(text)]
        }
        if let after = query.after {
            conditions.append("id > ?")
            binds.append(.integer(after))
        }
        let limit = max(1, min(query.limit, 500))
        let sql = "SELECT \(Self.organisationColumns) FROM organisation"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY id LIMIT \(limit + 1)"
        let rows = try await database.fetch(sql, binds).map { Self.organisation(from: $0) }
        return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? rows[limit - 1].id : nil)
    }

    public func ancestors(of organisation: Organisation) async throws -> [Organisation] {
        let ids = organisation.ancestry.ids.filter { $0 != organisation.id }
        var found: [Organisation] = []
        if organisation.kind != .national && organisation.kind != .supplier, let national = try await national() {
            found.append(national)
        }
        if !ids.isEmpty {
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let rows = try await database.fetch(
                "SELECT \(Self.organisationColumns) FROM organisation WHERE id IN (\(marks))", ids.map { .integer($0) })
            let byID = Dictionary(uniqueKeysWithValues: rows.map { Self.organisation(from: $0) }.map { ($0.id, $0) })
            found += ids.compactMap { byID[$0] }
        }
        return found
    }

    public func auditEntries(entityType: String, entityID: Int64, limit: Int) async throws -> [AuditRecord] {
        try await database.fetch(
            """
            SELECT id, at, actor, origin, action, entity_type, entity_id, before_state, after_state
            FROM audit_entry WHERE entity_type = ? AND entity_id = ? ORDER BY id DESC LIMIT ?
            """, [.text(entityType), .integer(entityID), .integer(Int64(limit))]
        ).map { row in
            AuditRecord(id: row.int(0), at: row.string(1), actor: row.string(2), origin: row.optionalString(3),
                        action: row.string(4), entityType: row.string(5), entityID: row.int(6),
                        before: row.optionalString(7), after: row.optionalString(8))
        }
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
