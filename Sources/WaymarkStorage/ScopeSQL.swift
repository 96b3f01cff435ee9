import WaymarkCore

/// The SQL form of an actor's scope. Every scoped read ANDs one of these into its WHERE clause,
/// so out-of-scope rows are never fetched (nothing is filtered after the query).
struct ScopeSQL {
    var condition: String
    var binds: [SQLValue]

    /// What a missing scope means: nothing.
    static let denyAll = ScopeSQL(condition: "1 = 0", binds: [])

    /// Rows of `project`, optionally aliased (`p.`).
    static func projects(_ scope: AccessScope?, prefix: String = "") -> ScopeSQL? {
        switch scope {
        case nil:
            return denyAll
        case .national:
            return nil
        case .subtree(let kind, let id):
            guard let column = SQLStore.ancestryColumn(kind) else { return denyAll }
            return ScopeSQL(condition: "\(prefix)\(column) = ?", binds: [.integer(id)])
        case .supplier(let id):
            return ScopeSQL(condition: "\(prefix)supplier_id = ?", binds: [.integer(id)])
        }
    }

    /// Rows of `organisation`, optionally aliased. A subtree scope sees its organisations and
    /// the suppliers contracted within it; a supplier sees itself and every organisation that
    /// holds, or is above, a project it delivers.
    static func organisations(_ scope: AccessScope?, prefix: String = "") -> ScopeSQL? {
        switch scope {
        case nil:
            return denyAll
        case .national:
            return nil
        case .subtree(let kind, let id):
            guard let column = SQLStore.ancestryColumn(kind) else { return denyAll }
            return ScopeSQL(
                condition: "(\(prefix)\(column) = ? OR (\(prefix)kind = 'supplier' AND \(prefix)id IN (SELECT supplier_id FROM project WHERE \(column) = ?)))",
                binds: [.integer(id), .integer(id)])
        case .supplier(let id):
            let held = ["organisation_id", "cluster_id", "sha_id", "lhc_id", "trust_id"]
                .map { "SELECT \($0) FROM project WHERE supplier_id = ?" }.joined(separator: " UNION ")
            return ScopeSQL(condition: "(\(prefix)id = ? OR \(prefix)id IN (\(held)))",
                            binds: Array(repeating: .integer(id), count: 6))
        }
    }
}

extension Array where Element == String {
    /// " WHERE a AND b", or "" when there are no conditions.
    var whereClause: String { isEmpty ? "" : " WHERE " + joined(separator: " AND ") }
}
