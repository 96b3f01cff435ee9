import WaymarkCore

extension SQLStore {
    static let rollOutMigration = Migration(version: 16, name: "roll-out templates") { _ in
        [
            """
            CREATE TABLE rollout_template (
                id BIGINT PRIMARY KEY,
                code TEXT NOT NULL,
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                product_code TEXT NOT NULL REFERENCES product(code),
                type TEXT NOT NULL CHECK (type IN ('lsp','esp')),
                offsets TEXT NOT NULL,
                catalogue_version INTEGER NOT NULL,
                documents TEXT NOT NULL,
                plan_tasks TEXT NOT NULL,
                UNIQUE (code, version)
            )
            """,
            """
            CREATE TABLE project_template (
                project_id BIGINT PRIMARY KEY REFERENCES project(id),
                template_id BIGINT NOT NULL REFERENCES rollout_template(id),
                wave INTEGER NOT NULL,
                wave_start INTEGER NOT NULL
            )
            """,
            "CREATE INDEX project_template_template ON project_template (template_id, project_id)",
            // The baselines the template gave, kept so a deviation is one indexed comparison.
            """
            CREATE TABLE project_template_baseline (
                project_id BIGINT NOT NULL REFERENCES project(id),
                kind TEXT NOT NULL,
                expected INTEGER NOT NULL,
                PRIMARY KEY (project_id, kind)
            )
            """,
        ]
    }

    static let templateColumns = "id, code, version, name, product_code, type, offsets, catalogue_version, documents, plan_tasks"

    static func template(from row: SQLRow) -> RollOutTemplate {
        var offsets: [MilestoneKind: Int] = [:]
        for pair in row.string("offsets").split(separator: ";") {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let kind = MilestoneKind(rawValue: String(parts[0])), let days = Int(parts[1]) { offsets[kind] = days }
        }
        return RollOutTemplate(id: row.int("id"), code: row.string("code"), version: Int(row.int("version")), name: row.string("name"),
                               productCode: row.string("product_code"), type: ProjectType(rawValue: row.string("type")) ?? .lsp,
                               offsets: offsets, catalogueVersion: Int(row.int("catalogue_version")),
                               documents: row.string("documents").split(separator: " ").map(String.init),
                               planTasks: row.string("plan_tasks").split(separator: "\n").map(String.init))
    }

    public func saveTemplate(_ template: RollOutTemplate, audit: AuditRecord) async throws -> RollOutTemplate {
        var saved = template
        saved.id = try await newID("rollout_template")
        let offsets = MilestoneKind.allCases.compactMap { kind in template.offsets[kind].map { "\(kind.rawValue)=\($0)" } }.joined(separator: ";")
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([Self.insert("rollout_template", Self.templateColumns.components, [
            .integer(saved.id), .text(saved.code), .integer(Int64(saved.version)), .text(saved.name), .text(saved.productCode),
            .text(saved.type.rawValue), .text(offsets), .integer(Int64(saved.catalogueVersion)),
            .text(saved.documents.joined(separator: " ")), .text(saved.planTasks.joined(separator: "\n"))])], audit: audit)
        return saved
    }

    public func templates() async throws -> [RollOutTemplate] {
        try await database.fetch("SELECT \(Self.templateColumns) FROM rollout_template ORDER BY code, version DESC", []).map(Self.template(from:))
    }

    public func template(code: String, version: Int?) async throws -> RollOutTemplate? {
        let (condition, binds): (String, [SQLValue]) = version.map { ("code = ? AND version = ?", [.text(code), .integer(Int64($0))]) }
            ?? ("code = ?", [.text(code)])
        return try await database.fetch("SELECT \(Self.templateColumns) FROM rollout_template WHERE \(condition) ORDER BY version DESC LIMIT 1", binds)
            .first.map(Self.template(from:))
    }

    public func applyRollOut(_ projects: [ImplementationProject], starts: [(wave: Int, start: Day)], template: RollOutTemplate,
                             appliedBy: String, at: String, audit: AuditRecord) async throws -> [ImplementationProject] {
        var saved = projects
        for (index, id) in try await newIDs("project", count: projects.count).enumerated() { saved[index].id = id }
        var links: [[SQLValue]] = []
        var expected: [[SQLValue]] = []
        var catalogue: [[SQLValue]] = []
        for (project, slot) in zip(saved, starts) {
            links.append([.integer(project.id), .integer(template.id), .integer(Int64(slot.wave)), .integer(Int64(slot.start.ordinal))])
            for m in project.milestones { expected.append([.integer(project.id), .text(m.kind.rawValue), SQLValue(m.baseline?.ordinal)]) }
            catalogue.append([.integer(project.id), .integer(Int64(template.catalogueVersion)), .text(appliedBy), .text(at)])
        }
        let tables = Self.projectTables(saved) + [
            ("project_template", ["project_id", "template_id", "wave", "wave_start"], links),
            ("project_template_baseline", ["project_id", "kind", "expected"], expected),
            ("project_catalogue", ["project_id", "catalogue_version", "applied_by", "applied_at"], catalogue),
        ]
        do {
            try await writeAudited(Self.statements(loading: tables).statements, audit: audit)
        } catch let error as StorageError where error.code == .constraint || error.code == .duplicate {
            throw StorageError(.duplicate, "A site already has this release of the product; preview the roll-out again.")
        }
        return saved
    }

    public func projectsBehind(_ template: RollOutTemplate) async throws -> [(code: String, waveStart: Day, expected: [MilestoneKind: Day])] {
        var found: [Int64: (code: String, waveStart: Day, expected: [MilestoneKind: Day])] = [:]
        for row in try await database.fetch("""
            SELECT p.id, p.code, t.wave_start, e.kind, e.expected
            FROM project_template t JOIN rollout_template r ON r.id = t.template_id JOIN project p ON p.id = t.project_id
            JOIN project_template_baseline e ON e.project_id = t.project_id
            WHERE r.code = ? AND r.version < ? AND p.state = 'live'
            """, [.text(template.code), .integer(Int64(template.version))]) {
            let id = row.int("id")
            var entry = found[id] ?? (row.string("code"), Day(ordinal: Int(row.int("wave_start"))), [:])
            if let kind = MilestoneKind(rawValue: row.string("kind")) { entry.expected[kind] = Day(ordinal: Int(row.int("expected"))) }
            found[id] = entry
        }
        return found.keys.sorted().compactMap { found[$0] }
    }

    public func upgradeProjects(_ projects: [(project: ImplementationProject, expected: [MilestoneKind: Day])], to template: RollOutTemplate,
                                audit: AuditRecord) async throws {
        var statements: [SQLStatement] = []
        for (project, expected) in projects {
            statements += Self.milestoneStatements(of: project, expectedVersion: project.version)
            statements.append(SQLStatement("UPDATE project_template SET template_id = ? WHERE project_id = ?", [.integer(template.id), .integer(project.id)]))
            for (kind, day) in expected {
                statements.append(SQLStatement("UPDATE project_template_baseline SET expected = ? WHERE project_id = ? AND kind = ?",
                                               [.integer(Int64(day.ordinal)), .integer(project.id), .text(kind.rawValue)]))
            }
        }
        try await writeAudited(statements, audit: audit)
    }

    public func releasesHeld(productCode: String) async throws -> [Int64: (release: Int, live: Bool)] {
        var held: [Int64: (release: Int, live: Bool)] = [:]
        for row in try await database.fetch("""
            SELECT organisation_id, MAX(release) AS release, MAX(CASE WHEN state = 'live' THEN 1 ELSE 0 END) AS live
            FROM project WHERE product_code = ? GROUP BY organisation_id
            """, [.text(productCode)]) {
            held[row.int("organisation_id")] = (Int(row.int("release")), row.int("live") == 1)
        }
        return held
    }
}
