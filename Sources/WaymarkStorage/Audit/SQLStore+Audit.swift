import WaymarkCore

extension SQLStore {
    static let auditColumns = "id, at, actor, origin, action, entity_type, entity_id, before_state, after_state"

    static func audit(from row: SQLRow) -> AuditRecord {
        AuditRecord(id: row.int("id"), at: row.string("at"), actor: row.string("actor"), origin: row.optionalString("origin"),
                    action: row.string("action"), entityType: row.string("entity_type"), entityID: row.int("entity_id"),
                    before: row.optionalString("before_state"), after: row.optionalString("after_state"))
    }

    public func auditEntries(entityType: String, entityID: Int64, limit: Int) async throws -> [AuditRecord] {
        try await auditEntries(AuditQuery(entityType: entityType, entityID: entityID, limit: limit)).items
    }

    public func auditEntries(_ query: AuditQuery) async throws -> Page<AuditRecord> {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        func add(_ condition: String, _ value: SQLValue?) {
            guard let value else { return }
            conditions.append(condition)
            binds.append(value)
        }
        add("entity_type = ?", query.entityType.map { .text($0) })
        add("entity_id = ?", query.entityID.map { .integer($0) })
        add("actor = ?", query.actor.map { .text($0.lowercased()) })
        // Timestamps are ISO 8601 in UTC, so date bounds compare as text.
        add("at >= ?", query.from.map { .text($0) })
        add("at < ?", query.to.map { .text($0 + "T99") })
        add("id < ?", query.before.map { .integer($0) })
        if query.changesOnly { conditions.append("(before_state IS NOT NULL OR after_state IS NOT NULL)") }
        let limit = max(1, min(query.limit, 500))
        let rows = try await database.fetch(
            "SELECT \(Self.auditColumns) FROM audit_entry" + conditions.whereClause + " ORDER BY id DESC LIMIT \(limit + 1)", binds)
        let items = rows.prefix(limit).map(Self.audit(from:))
        return Page(items: Array(items), nextCursor: rows.count > limit ? items.last?.id : nil)
    }

    public func recordAudit(_ audit: AuditRecord) async throws {
        try await writeAudited([], audit: audit)
    }
}
