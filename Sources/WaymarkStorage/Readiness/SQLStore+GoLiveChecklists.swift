import WaymarkCore

/// Go Live Checklists and their items.
extension SQLStore {
    static let goLiveChecklistMigration = Migration(version: 25, name: "go live checklists") { _ in
        [
            """
            CREATE TABLE go_live_checklist (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                template TEXT NOT NULL,
                template_version INTEGER NOT NULL,
                version BIGINT NOT NULL CHECK (version >= 1),
                started_by TEXT NOT NULL,
                started_at TEXT NOT NULL,
                UNIQUE (project_id, template)
            )
            """,
            """
            CREATE TABLE go_live_checklist_item (
                checklist_id BIGINT NOT NULL REFERENCES go_live_checklist(id),
                item_id TEXT NOT NULL,
                owner TEXT NOT NULL,
                evidence TEXT NOT NULL,
                signed_by TEXT,
                signed_at TEXT,
                PRIMARY KEY (checklist_id, item_id)
            )
            """,
        ]
    }

    public func goLiveChecklists(projectID: Int64) async throws -> [GoLiveChecklist] {
        try await checklists("c.project_id = ?", [.integer(projectID)])
    }

    public func goLiveChecklist(projectID: Int64, template: String) async throws -> GoLiveChecklist? {
        try await checklists("c.project_id = ? AND c.template = ?", [.integer(projectID), .text(template)]).first
    }

    func checklists(_ condition: String, _ binds: [SQLValue]) async throws -> [GoLiveChecklist] {
        var items: [Int64: [ChecklistItemState]] = [:]
        for row in try await database.fetch("""
            SELECT i.checklist_id, i.item_id, i.owner, i.evidence, i.signed_by, i.signed_at FROM go_live_checklist_item i
            JOIN go_live_checklist c ON c.id = i.checklist_id WHERE \(condition)
            """, binds) {
            items[row.int("checklist_id"), default: []].append(ChecklistItemState(
                itemID: row.string("item_id"), owner: row.string("owner"), evidence: row.string("evidence"),
                signedBy: row.optionalString("signed_by"), signedAt: row.optionalString("signed_at")))
        }
        return try await database.fetch("""
            SELECT c.id, c.project_id, c.template, c.template_version, c.version, c.started_by, c.started_at FROM go_live_checklist c
            WHERE \(condition) ORDER BY c.template
            """, binds).map { row in
            let id = row.int("id"), code = row.string("template")
            // In the template's order.
            let order = Dictionary(uniqueKeysWithValues: (GoLiveChecklistCatalogue.template(code)?.items ?? []).enumerated().map { ($1.id, $0) })
            let sorted = (items[id] ?? []).sorted { (order[$0.itemID] ?? .max, $0.itemID) < (order[$1.itemID] ?? .max, $1.itemID) }
            return GoLiveChecklist(id: id, projectID: row.int("project_id"), templateCode: code, templateVersion: Int(row.int("template_version")),
                                   version: Int(row.int("version")), items: sorted, startedBy: row.string("started_by"), startedAt: row.string("started_at"))
        }
    }

    public func startGoLiveChecklist(_ checklist: GoLiveChecklist, audit: AuditRecord) async throws -> GoLiveChecklist {
        var saved = checklist
        saved.id = try await newID("go_live_checklist")
        saved.version = 1
        var statements = [SQLStatement("""
            INSERT INTO go_live_checklist (id, project_id, template, template_version, version, started_by, started_at) VALUES (?, ?, ?, ?, 1, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, [.integer(saved.id), .integer(saved.projectID), .text(saved.templateCode), .integer(Int64(saved.templateVersion)),
                  .text(saved.startedBy), .text(saved.startedAt)], expectedRows: 1, onMismatch: .duplicate)]
        for item in saved.items {
            statements.append(SQLStatement("INSERT INTO go_live_checklist_item (checklist_id, item_id, owner, evidence) VALUES (?, ?, ?, ?)",
                                           [.integer(saved.id), .text(item.itemID), .text(item.owner), .text(item.evidence)]))
        }
        statements.append(Self.refreshReadiness(projectID: saved.projectID))
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func saveChecklistItem(checklistID: Int64, _ item: ChecklistItemState, expectedVersion: Int, audit: AuditRecord) async throws {
        var audit = audit
        audit.entityID = checklistID
        try await writeAudited([
            SQLStatement("UPDATE go_live_checklist SET version = version + 1 WHERE id = ? AND version = ? RETURNING id",
                         [.integer(checklistID), .integer(Int64(expectedVersion))], expectedRows: 1),
            SQLStatement("""
                UPDATE go_live_checklist_item SET owner = ?, evidence = ?, signed_by = ?, signed_at = ? WHERE checklist_id = ? AND item_id = ? RETURNING item_id
                """, [.text(item.owner), .text(item.evidence), SQLValue(item.signedBy), SQLValue(item.signedAt), .integer(checklistID), .text(item.itemID)],
                expectedRows: 1),
            Self.refreshReadiness("(SELECT project_id FROM go_live_checklist WHERE id = ?)", [.integer(checklistID)]),
        ], audit: audit)
    }
}
