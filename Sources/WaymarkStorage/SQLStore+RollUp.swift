import WaymarkCore

extension SQLStore {
    /// The roll-up's one aggregate query, public so `waymark bench` can time the same SQL raw.
    /// Projects are grouped by the level below `organisation`; a supplier's by cluster.
    public static func rollUpSQL(for organisation: Organisation) -> (sql: String, binds: [SQLValue]) {
        let group: String
        let filter: String
        switch organisation.kind {
        case .national: (group, filter) = ("cluster_id", "")
        case .supplier: (group, filter) = ("cluster_id", "WHERE supplier_id = ?")
        case .site: (group, filter) = ("site_id", "WHERE site_id = ?")
        default:
            let column = ancestryColumn(organisation.kind)!
            (group, filter) = (ancestryColumn(organisation.kind.childKind!)!, "WHERE \(column) = ?")
        }
        let sql = """
            SELECT \(group), product_code, type, achieved_count, late_mask, COUNT(*) FROM project \(filter)
            GROUP BY \(group), product_code, type, achieved_count, late_mask
            """
        return (sql, filter.isEmpty ? [] : [.integer(organisation.id)])
    }

    public func rollUp(for organisation: Organisation) async throws -> RollUpReport {
        let (sql, binds) = Self.rollUpSQL(for: organisation)
        let rows = try await database.fetch(sql, binds).map { row in
            RollUpRow(groupID: row.optionalInt(0), productCode: row.string(1),
                      type: ProjectType(rawValue: row.string(2)) ?? .lsp, achievedCount: Int(row.int(3)),
                      lateMask: Int(row.int(4)), projects: Int(row.int(5)))
        }
        let cells = RollUpMaths.fold(rows)
        // Every child is listed, including those with no projects yet.
        let children: [Organisation]
        switch organisation.kind {
        case .supplier:
            children = try await organisations(OrganisationQuery(kind: .cluster, limit: 500)).items
        case .site:
            children = []
        default:
            children = try await database.fetch(
                "SELECT \(Self.organisationColumns) FROM organisation WHERE parent_id = ? AND kind <> 'supplier'",
                [.integer(organisation.id)]).map { Self.organisation(from: $0) }
                // Sorted here, not by ORDER BY, so both backends agree whatever their collation.
                .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
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
