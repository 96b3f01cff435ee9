import WaymarkCore

extension SQLStore {
    /// The roll-up's one aggregate query, public so `waymark bench` can time the same SQL raw.
    /// Projects are grouped by the level below `organisation`; a supplier's by cluster. Only
    /// projects within `scope` are counted.
    @_spi(Bench) public static func rollUpSQL(for organisation: Organisation, scope: AccessScope) -> (sql: String, binds: [SQLValue]) {
        let group: String
        var conditions: [String] = []
        var binds: [SQLValue] = []
        switch organisation.kind {
        case .national: group = "cluster_id"
        case .supplier: group = "cluster_id"; conditions.append("supplier_id = ?")
        case .site: group = "site_id"; conditions.append("site_id = ?")
        default:
            group = ancestryColumn(organisation.kind.childKind!)!
            conditions.append("\(ancestryColumn(organisation.kind)!) = ?")
        }
        if organisation.kind != .national { binds.append(.integer(organisation.id)) }
        // Closed and cancelled projects keep their history but leave the live roll-up.
        conditions.append("state = 'live'")
        if let scoped = ScopeSQL.projects(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        let sql = """
            SELECT \(group) AS group_id, product_code, type, achieved_count, late_mask, COUNT(*) AS projects
            FROM project\(conditions.whereClause)
            GROUP BY \(group), product_code, type, achieved_count, late_mask
            """
        return (sql, binds)
    }

    public func rollUp(for organisation: Organisation, scope: AccessScope) async throws -> RollUpReport {
        let (sql, binds) = Self.rollUpSQL(for: organisation, scope: scope)
        let rows = try await database.fetch(sql, binds).map { row in
            RollUpRow(groupID: row.optionalInt("group_id"), productCode: row.string("product_code"),
                      type: ProjectType(rawValue: row.string("type")) ?? .lsp, achievedCount: Int(row.int("achieved_count")),
                      lateMask: Int(row.int("late_mask")), projects: Int(row.int("projects")))
        }
        let cells = RollUpMaths.fold(rows)
        // Every child within scope is listed, including those with no projects yet.
        var children: [Organisation]
        switch organisation.kind {
        case .supplier:
            children = try await organisations(OrganisationQuery(scope: scope, kind: .cluster, limit: 500)).items
        case .site:
            children = []
        default:
            var conditions = ["parent_id = ?", "kind <> 'supplier'"]
            var binds: [SQLValue] = [.integer(organisation.id)]
            if let scoped = ScopeSQL.organisations(scope) {
                conditions.append(scoped.condition)
                binds += scoped.binds
            }
            children = try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation" + conditions.whereClause, binds)
                .map { Self.organisation(from: $0) }
                // Sorted here, not by ORDER BY, so both backends agree whatever their collation.
                .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        }
        // Scoped projects can sit under a child the actor cannot open (a trust user looking at
        // their supplier's page groups by cluster): name those groups too, so totals add up.
        let listed = Set(children.map(\.id))
        let unlisted = Set(cells.keys.compactMap(\.groupID)).subtracting(listed).subtracting([organisation.id])
        if !unlisted.isEmpty {
            let ids = unlisted.sorted()
            children += try await database.fetch(
                "SELECT \(Self.organisationColumns) FROM organisation WHERE id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))",
                ids.map { .integer($0) }).map { Self.organisation(from: $0) }
        }
        var groupIDs: [Int64?] = children.map(\.id)
        if cells.keys.contains(where: { $0.groupID == nil || $0.groupID == organisation.id }) { groupIDs.insert(nil, at: 0) }
        let byID = Dictionary(uniqueKeysWithValues: children.map { ($0.id, $0) })
        var totals: [String: RollUpCell] = [:]
        var total = RollUpCell()
        let groups = groupIDs.map { id -> RollUpReport.Group in
            var groupCells: [String: RollUpCell] = [:]
            var groupTotal = RollUpCell()
            for (key, cell) in cells where key.groupID == id || (id == nil && key.groupID == organisation.id) {
                groupCells[key.productCode, default: RollUpCell()].add(cell)
                totals[key.productCode, default: RollUpCell()].add(cell)
                groupTotal.add(cell)
                total.add(cell)
            }
            return RollUpReport.Group(organisation: id.flatMap { byID[$0] }, cells: groupCells, total: groupTotal)
        }
        let present = Set(cells.keys.map(\.productCode))
        return RollUpReport(organisation: organisation, groups: groups, totals: totals, total: total,
                            productCodes: ProductCatalogue.all.map(\.code).filter(present.contains))
    }
}
