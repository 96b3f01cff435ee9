import WaymarkCore

extension SQLStore {
    /// Conditions on projects aliased `p` for a readiness roll-up: at or below `organisation`
    /// (a supplier's: those it delivers) and within the reader's scope.
    static func projectConditions(within organisation: Organisation, scope: AccessScope) -> (conditions: [String], binds: [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let column = ancestryColumn(organisation.kind) {
            conditions.append("p.\(column) = ?")
            binds.append(.integer(organisation.id))
        } else if organisation.kind == .supplier {
            conditions.append("p.supplier_id = ?")
            binds.append(.integer(organisation.id))
        }
        if let scoped = ScopeSQL.projects(scope, prefix: "p.") {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return (conditions, binds)
    }
}
