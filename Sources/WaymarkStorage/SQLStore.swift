import WaymarkCore

/// The one implementation of the repositories, over any `SQLDatabase`. SQLite and PostgreSQL
/// differ only below `SQLDatabase`; see docs/design/storage.md.
public struct SQLStore: WaymarkStore {
    public let database: any SQLDatabase
    /// Where document bytes go; nil keeps them in the database (`document_file`).
    public let files: (any DocumentFileStore)?

    public init(database: any SQLDatabase, files: (any DocumentFileStore)? = nil) {
        self.database = database
        self.files = files
    }

    public func migrate() async throws { try await SQLMigrator(database: database).migrate() }

    static let organisationColumns =
        "id, code, name, kind, subtype, parent_id, supplier_role, cluster_id, sha_id, lhc_id, trust_id, site_id, version, "
        + "postcode, opened_on, closed_on"

    /// `prefix` reads the columns under aliases (`o_id`, ...) where a join would clash.
    static func organisation(from row: SQLRow, prefix p: String = "") -> Organisation {
        Organisation(
            id: row.int(p + "id"), code: row.string(p + "code"), name: row.string(p + "name"),
            kind: OrganisationKind(rawValue: row.string(p + "kind")) ?? .site, subtype: row.optionalString(p + "subtype"),
            parentID: row.optionalInt(p + "parent_id"),
            supplierRole: row.optionalString(p + "supplier_role").flatMap(SupplierRole.init(rawValue:)),
            ancestry: Ancestry(clusterID: row.optionalInt(p + "cluster_id"), shaID: row.optionalInt(p + "sha_id"),
                               lhcID: row.optionalInt(p + "lhc_id"), trustID: row.optionalInt(p + "trust_id"),
                               siteID: row.optionalInt(p + "site_id")),
            version: Int(row.int(p + "version")), postcode: row.optionalString(p + "postcode"),
            openedOn: row.optionalInt(p + "opened_on").map { Day(ordinal: Int($0)) },
            closedOn: row.optionalInt(p + "closed_on").map { Day(ordinal: Int($0)) })
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

    public func organisation(code: String, scope: AccessScope) async throws -> Organisation? {
        try await organisation(where: "code = ?", .text(code.uppercased()), scope: scope)
    }

    public func organisation(id: Int64, scope: AccessScope) async throws -> Organisation? {
        try await organisation(where: "id = ?", .integer(id), scope: scope)
    }

    private func organisation(where condition: String, _ value: SQLValue, scope: AccessScope) async throws -> Organisation? {
        var conditions = [condition]
        var binds = [value]
        if let scoped = ScopeSQL.organisations(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation" + conditions.whereClause, binds)
            .first.map { Self.organisation(from: $0) }
    }

    public func national() async throws -> Organisation? {
        try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation WHERE kind = 'national' ORDER BY id LIMIT 1", [])
            .first.map { Self.organisation(from: $0) }
    }

    public func organisations(_ query: OrganisationQuery) async throws -> Page<Organisation> {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = ScopeSQL.organisations(query.scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
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
                conditions.append("id IN (SELECT organisation_id FROM supplier_contract WHERE supplier_id = ?)")
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
        let sql = "SELECT \(Self.organisationColumns) FROM organisation" + conditions.whereClause + " ORDER BY id LIMIT \(limit + 1)"
        let rows = try await database.fetch(sql, binds).map { Self.organisation(from: $0) }
        return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? rows[limit - 1].id : nil)
    }

    public func ancestors(of organisation: Organisation, scope: AccessScope) async throws -> [Organisation] {
        let ids = organisation.ancestry.ids.filter { $0 != organisation.id }
        var found: [Organisation] = []
        if scope == .national, organisation.kind != .national && organisation.kind != .supplier, let national = try await national() {
            found.append(national)
        }
        if !ids.isEmpty {
            var conditions = ["id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))"]
            var binds: [SQLValue] = ids.map { .integer($0) }
            if let scoped = ScopeSQL.organisations(scope) {
                conditions.append(scoped.condition)
                binds += scoped.binds
            }
            let rows = try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation" + conditions.whereClause, binds)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { Self.organisation(from: $0) }.map { ($0.id, $0) })
            found += ids.compactMap { byID[$0] }
        }
        return found
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
