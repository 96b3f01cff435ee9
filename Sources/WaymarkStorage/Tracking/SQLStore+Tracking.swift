import WaymarkCore

/// Risks and issues. Records are written whole (the row and its actions), so derived columns
/// always agree with the content.
extension SQLStore {
    static let trackingColumns = [
        "id", "kind", "organisation_id", "organisation_kind", "project_id", "cluster_id", "sha_id", "lhc_id", "trust_id", "site_id",
        "supplier_id", "title", "description", "cause", "effect", "area", "priority", "controllability", "probability",
        "residual_priority", "residual_controllability", "residual_probability", "rating_priority", "rating_controllability",
        "proximity", "owner_name", "review_date", "contingency_plan", "response", "status", "occurred_on", "resolution",
        "raised_on", "linked_item_id", "escalated_from_id", "escalated_to_id", "escalation_reason", "flagged",
        "next_action_due", "version",
    ]
    static let trackingActionColumns = ["item_id", "position", "description", "owner_name", "due", "done"]

    static func trackingValues(_ item: TrackingItem) -> [SQLValue] {
        let o = item.owner
        let a = o.ancestry
        return [
            .integer(item.id), .text(item.kind.rawValue), .integer(o.organisationID), .text(o.organisationKind.rawValue),
            SQLValue(o.projectID), SQLValue(a.clusterID), SQLValue(a.shaID), SQLValue(a.lhcID), SQLValue(a.trustID), SQLValue(a.siteID),
            SQLValue(o.supplierID), .text(item.title), .text(item.description), .text(item.cause), .text(item.effect),
            .text(item.area.rawValue), .integer(Int64(item.inherent.priority.rawValue)), .text(item.inherent.controllability.rawValue),
            .integer(Int64(item.inherent.probability)), SQLValue(item.residual?.priority.rawValue),
            SQLValue(item.residual?.controllability.rawValue), SQLValue(item.residual?.probability),
            .integer(Int64(item.current.priority.rawValue)), .text(item.current.controllability.rawValue),
            SQLValue(item.proximity?.ordinal), .text(item.ownerName), SQLValue(item.reviewDate?.ordinal), .text(item.contingencyPlan),
            .text(item.response), .text(item.status.rawValue), SQLValue(item.occurredOn?.ordinal), .text(item.resolution),
            .integer(Int64(item.raisedOn.ordinal)), SQLValue(item.linkedItemID), SQLValue(item.escalatedFromID),
            SQLValue(item.escalatedToID), .text(item.escalationReason), .integer(item.isFlagged ? 1 : 0),
            SQLValue(item.actions.filter { !$0.done }.map(\.due.ordinal).min()), .integer(Int64(item.version)),
        ]
    }

    static func trackingActionRows(_ item: TrackingItem) -> [[SQLValue]] {
        item.actions.enumerated().map { position, action in
            [.integer(item.id), .integer(Int64(position)), .text(action.description), .text(action.owner),
             .integer(Int64(action.due.ordinal)), .integer(action.done ? 1 : 0)]
        }
    }

    static func trackingItem(from row: SQLRow) -> TrackingItem {
        func day(_ column: String) -> Day? { row.optionalInt(column).map { Day(ordinal: Int($0)) } }
        let residual: Assessment? = row.optionalInt("residual_priority").map { priority in
            Assessment(priority: RiskPriority(rawValue: Int(priority)) ?? .lowest,
                       controllability: Controllability(rawValue: row.string("residual_controllability")) ?? .d,
                       probability: Int(row.int("residual_probability")))
        }
        let owner = RegisterOwner(
            organisationID: row.int("organisation_id"), organisationKind: OrganisationKind(rawValue: row.string("organisation_kind")) ?? .trust,
            projectID: row.optionalInt("project_id"),
            ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"), lhcID: row.optionalInt("lhc_id"),
                               trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
            supplierID: row.optionalInt("supplier_id"))
        return TrackingItem(
            id: row.int("id"), kind: TrackingKind(rawValue: row.string("kind")) ?? .risk, owner: owner, title: row.string("title"),
            description: row.string("description"), cause: row.string("cause"), effect: row.string("effect"),
            area: AreaOfResponsibility(rawValue: row.string("area")) ?? .processAndPerformance,
            inherent: Assessment(priority: RiskPriority(rawValue: Int(row.int("priority"))) ?? .lowest,
                                 controllability: Controllability(rawValue: row.string("controllability")) ?? .d,
                                 probability: Int(row.int("probability"))),
            residual: residual, proximity: day("proximity"), ownerName: row.string("owner_name"), reviewDate: day("review_date"),
            contingencyPlan: row.string("contingency_plan"), response: row.string("response"),
            status: TrackingStatus(rawValue: row.string("status")) ?? .open, occurredOn: day("occurred_on"),
            resolution: row.string("resolution"), raisedOn: Day(ordinal: Int(row.int("raised_on"))), linkedItemID: row.optionalInt("linked_item_id"),
            escalatedFromID: row.optionalInt("escalated_from_id"), escalatedToID: row.optionalInt("escalated_to_id"),
            escalationReason: row.string("escalation_reason"), version: Int(row.int("version")))
    }

    /// Rows of `tracking_item` within `scope`: a subtree sees its registers and its projects';
    /// a supplier sees the registers of the projects it delivers.
    static func trackingScope(_ scope: AccessScope?) -> ScopeSQL? { ScopeSQL.projects(scope) }

    public func trackingItem(id: Int64, scope: AccessScope) async throws -> TrackingItem? {
        var conditions = ["id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = Self.trackingScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        let items = try await database.fetch(
            "SELECT \(Self.trackingColumns.joined(separator: ", ")) FROM tracking_item" + conditions.whereClause, binds)
            .map(Self.trackingItem(from:))
        return try await completed(items).first
    }

    /// The records with their actions and their registers' codes, read in two more queries.
    func completed(_ items: [TrackingItem]) async throws -> [TrackingItem] {
        guard !items.isEmpty else { return [] }
        let actions = try await actions(itemIDs: items.map(\.id))
        let organisations = try await codes("organisation", ids: Set(items.map(\.owner.organisationID)))
        let projects = try await codes("project", ids: Set(items.compactMap(\.owner.projectID)))
        return items.map { item in
            var item = item
            item.actions = actions[item.id] ?? []
            item.owner.organisationCode = organisations[item.owner.organisationID] ?? ""
            item.owner.projectCode = item.owner.projectID.flatMap { projects[$0] }
            return item
        }
    }

    /// Codes of records already read in scope (the registers that hold them), for their links.
    private func codes(_ table: String, ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.fetch("SELECT id, code FROM \(table) WHERE id IN ("
                                            + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")",
                                            ids.sorted().map { .integer($0) })
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.int("id"), $0.string("code")) })
    }

    func actions(itemIDs: [Int64]) async throws -> [Int64: [MitigatingAction]] {
        guard !itemIDs.isEmpty else { return [:] }
        var byItem: [Int64: [MitigatingAction]] = [:]
        for row in try await database.fetch(
            "SELECT item_id, description, owner_name, due, done FROM tracking_action WHERE item_id IN ("
                + Array(repeating: "?", count: itemIDs.count).joined(separator: ", ") + ") ORDER BY item_id, position",
            itemIDs.map { .integer($0) }) {
            byItem[row.int("item_id"), default: []].append(MitigatingAction(
                description: row.string("description"), owner: row.string("owner_name"), due: Day(ordinal: Int(row.int("due"))),
                done: row.int("done") != 0))
        }
        return byItem
    }

    /// The WHERE conditions of a register query (shared by the list and the CSV export).
    static func trackingConditions(_ query: TrackingQuery) -> (conditions: [String], binds: [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = trackingScope(query.scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if let register = query.register {
            if let projectID = register.projectID {
                conditions.append("project_id = ?")
                binds.append(.integer(projectID))
            } else {
                conditions.append("organisation_id = ? AND project_id IS NULL")
                binds.append(.integer(register.organisationID))
            }
        }
        if let within = query.within, let scoped = subtree(within) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if let kind = query.kind {
            conditions.append("kind = ?")
            binds.append(.text(kind.rawValue))
        }
        if let status = query.status {
            conditions.append("status = ?")
            binds.append(.text(status.rawValue))
        }
        if let priority = query.priority {
            conditions.append("rating_priority = ?")
            binds.append(.integer(Int64(priority.rawValue)))
        }
        if let controllability = query.controllability {
            conditions.append("rating_controllability = ?")
            binds.append(.text(controllability.rawValue))
        }
        if query.flaggedOnly { conditions.append("flagged = 1") }
        if let today = query.overdueOn {
            conditions.append("status = 'open' AND (review_date < ? OR next_action_due < ?)")
            binds += [.integer(Int64(today.ordinal)), .integer(Int64(today.ordinal))]
        }
        if let after = query.after {
            conditions.append("id > ?")
            binds.append(.integer(after))
        }
        return (conditions, binds)
    }

    /// Records in `organisation`'s subtree (itself included); nil for national (everything).
    static func subtree(_ organisation: Organisation) -> ScopeSQL? {
        switch organisation.kind {
        case .national: nil
        case .supplier: ScopeSQL(condition: "supplier_id = ?", binds: [.integer(organisation.id)])
        default: ancestryColumn(organisation.kind).map { ScopeSQL(condition: "\($0) = ?", binds: [.integer(organisation.id)]) }
        }
    }

    /// A register page's query, public so the benchmark can time it raw.
    @_spi(Bench) public static func registerListSQL(_ query: TrackingQuery) -> (sql: String, binds: [SQLValue]) {
        let (conditions, binds) = trackingConditions(query)
        return ("SELECT \(trackingColumns.joined(separator: ", ")) FROM tracking_item" + conditions.whereClause
                + " ORDER BY id LIMIT \(max(1, min(query.limit, 500)) + 1)", binds)
    }

    public func trackingItems(_ query: TrackingQuery) async throws -> Page<TrackingItem> {
        let limit = max(1, min(query.limit, 500))
        let (sql, binds) = Self.registerListSQL(query)
        var items = try await database.fetch(sql, binds).map(Self.trackingItem(from:))
        let next = items.count > limit ? items[limit - 1].id : nil
        items = try await completed(Array(items.prefix(limit)))
        return Page(items: items, nextCursor: next)
    }

    public func trackingCount(_ query: TrackingQuery) async throws -> Int {
        var query = query
        query.after = nil
        let (conditions, binds) = Self.trackingConditions(query)
        return Int(try await database.fetch("SELECT count(*) AS items FROM tracking_item" + conditions.whereClause, binds)
            .first?.int("items") ?? 0)
    }

    /// The heat map's query, public so the benchmark can time it raw.
    @_spi(Bench) public static func heatMapSQL(within organisation: Organisation, kind: TrackingKind, scope: AccessScope) -> (sql: String, binds: [SQLValue]) {
        var conditions = ["status = 'open'", "kind = ?"]
        var binds: [SQLValue] = [.text(kind.rawValue)]
        for scoped in [subtree(organisation), trackingScope(scope)].compactMap({ $0 }) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return ("SELECT rating_priority, rating_controllability, count(*) AS items, sum(flagged) AS flagged_items FROM tracking_item"
                + conditions.whereClause
                + " GROUP BY rating_priority, rating_controllability", binds)
    }

    public func trackingHeatMap(within organisation: Organisation, kind: TrackingKind, scope: AccessScope) async throws -> TrackingHeatMap {
        let (sql, binds) = Self.heatMapSQL(within: organisation, kind: kind, scope: scope)
        var map = TrackingHeatMap()
        for row in try await database.fetch(sql, binds) {
            guard let priority = RiskPriority(rawValue: Int(row.int("rating_priority"))),
                  let controllability = Controllability(rawValue: row.string("rating_controllability")) else { continue }
            map.add(priority, controllability, Int(row.int("items")))
            map.flagged += Int(row.int("flagged_items"))
        }
        return map
    }

    public func saveTrackingItems(_ changes: [TrackingChange]) async throws -> [TrackingItem] {
        try await saveTrackingItems(changes) { _ in [] }
    }

    /// The same save, with `also`'s statements (given the records as saved) in its transaction:
    /// a record raised from elsewhere and the link back to it commit together.
    func saveTrackingItems(_ changes: [TrackingChange], also: ([TrackingItem]) -> [SQLStatement]) async throws -> [TrackingItem] {
        var fresh = try await newIDs("tracking_item", count: changes.filter { $0.expectedVersion == nil }.count)[...]
        var saved: [TrackingItem] = []
        for change in changes {
            var item = change.item
            if let expected = change.expectedVersion {
                item.version = expected + 1
            } else {
                item.id = fresh.removeFirst()
                item.version = 1
            }
            saved.append(item)
        }
        var statements: [SQLStatement] = []
        var audits: [AuditRecord] = []
        for (index, change) in changes.enumerated() {
            for (field, target) in change.linksToNew {
                guard saved.indices.contains(target), changes[target].expectedVersion == nil else {
                    throw StorageError(.invalid, "A link names change \(target), which is not a new record in this save.")
                }
                switch field {
                case .linked: saved[index].linkedItemID = saved[target].id
                case .escalatedFrom: saved[index].escalatedFromID = saved[target].id
                case .escalatedTo: saved[index].escalatedToID = saved[target].id
                }
            }
        }
        for (index, change) in changes.enumerated() {
            let item = saved[index]
            let values = Self.trackingValues(item)
            if let expected = change.expectedVersion {
                let columns = Self.trackingColumns.dropFirst()
                statements.append(SQLStatement(
                    "UPDATE tracking_item SET " + columns.map { "\($0) = ?" }.joined(separator: ", ")
                        + " WHERE id = ? AND version = ? RETURNING id",
                    Array(values.dropFirst()) + [.integer(item.id), .integer(Int64(expected))], expectedRows: 1))
                statements.append(SQLStatement("DELETE FROM tracking_action WHERE item_id = ?", [.integer(item.id)]))
            } else {
                statements.append(SQLStatement(
                    "INSERT INTO tracking_item (\(Self.trackingColumns.joined(separator: ", "))) VALUES ("
                        + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")", values))
            }
            statements += Self.chunkedInsert("tracking_action", Self.trackingActionColumns, Self.trackingActionRows(item))
            var audit = change.audit
            audit.entityID = item.id
            audits.append(audit)
        }
        // Showstoppers count towards readiness: refresh each project these records belong to.
        let projects = Set(saved.compactMap(\.owner.projectID)).sorted().map { Self.refreshReadiness(projectID: $0) }
        try await writeAudited(statements + also(saved) + projects, audits: audits)
        return saved
    }

    static func trackingLoadTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        [("tracking_item", trackingColumns, dataset.tracking.map(trackingValues)),
         ("tracking_action", trackingActionColumns, dataset.tracking.flatMap(trackingActionRows))]
    }
}
