import WaymarkCore

/// Counts only: no column here can hold an NHS Number or a demographic value. Scope comes from
/// the project, which every caller has checked, so the rows carry no ancestry of their own.
extension SQLStore {
    static let dataQualityMigration = Migration(version: 21, name: "data-quality checks and migration loads") { _ in
        [
            """
            CREATE TABLE data_quality_check (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                checked_on INTEGER NOT NULL,
                checked_at TEXT NOT NULL,
                checked_by TEXT NOT NULL,
                source TEXT NOT NULL CHECK (source IN ('extract','list')),
                records BIGINT NOT NULL CHECK (records >= 0),
                valid BIGINT NOT NULL CHECK (valid >= 0),
                invalid BIGINT NOT NULL CHECK (invalid >= 0),
                missing BIGINT NOT NULL CHECK (missing >= 0),
                duplicates BIGINT NOT NULL CHECK (duplicates >= 0),
                malformed_rows BIGINT NOT NULL CHECK (malformed_rows >= 0)
            )
            """,
            "CREATE INDEX data_quality_check_project ON data_quality_check (project_id, checked_on, id)",
            // Each demographic column's header and how many records left it empty.
            """
            CREATE TABLE data_quality_field (
                check_id BIGINT NOT NULL REFERENCES data_quality_check(id),
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                missing BIGINT NOT NULL CHECK (missing >= 0),
                PRIMARY KEY (check_id, position)
            )
            """,
            """
            CREATE TABLE migration_load (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                name TEXT NOT NULL,
                loaded_on INTEGER NOT NULL,
                migrated BIGINT NOT NULL CHECK (migrated >= 0),
                verified BIGINT NOT NULL CHECK (verified >= 0 AND verified <= migrated),
                rejected BIGINT NOT NULL CHECK (rejected >= 0),
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX migration_load_project ON migration_load (project_id, loaded_on, id)",
        ]
    }

    static let checkColumns = "id, project_id, checked_on, checked_at, checked_by, source, records, valid, invalid, missing, duplicates, malformed_rows"

    public func saveDataQualityCheck(_ check: DataQualityCheck, audit: AuditRecord) async throws -> DataQualityCheck {
        var saved = check
        saved.id = try await newID("data_quality_check")
        var audit = audit
        audit.entityID = saved.id
        let c = saved.counts
        var statements = [Self.insert("data_quality_check", Self.checkColumns.components, [
            .integer(saved.id), .integer(saved.projectID), .integer(Int64(saved.checkedOn.ordinal)), .text(saved.checkedAt), .text(saved.checkedBy),
            .text(c.source.rawValue), .integer(Int64(c.records)), .integer(Int64(c.valid)), .integer(Int64(c.invalid)), .integer(Int64(c.missing)),
            .integer(Int64(c.duplicates)), .integer(Int64(c.malformedRows))])]
        for (position, field) in c.fields.enumerated() {
            statements.append(SQLStatement("INSERT INTO data_quality_field (check_id, position, name, missing) VALUES (?, ?, ?, ?)",
                                           [.integer(saved.id), .integer(Int64(position)), .text(field.name), .integer(Int64(field.missing))]))
        }
        statements.append(Self.refreshReadiness(projectID: saved.projectID))
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func dataQualityChecks(projectID: Int64) async throws -> [DataQualityCheck] {
        var fields: [Int64: [DataQualityCounts.Field]] = [:]
        for row in try await database.fetch("""
            SELECT f.check_id, f.name, f.missing FROM data_quality_field f JOIN data_quality_check c ON c.id = f.check_id
            WHERE c.project_id = ? ORDER BY f.check_id, f.position
            """, [.integer(projectID)]) {
            fields[row.int("check_id"), default: []].append(.init(name: row.string("name"), missing: Int(row.int("missing"))))
        }
        return try await database.fetch("SELECT \(Self.checkColumns) FROM data_quality_check WHERE project_id = ? ORDER BY checked_on, id",
                                        [.integer(projectID)]).map { row in
            var counts = DataQualityCounts(source: DataQualityCounts.Source(rawValue: row.string("source")) ?? .extract)
            counts.records = Int(row.int("records"))
            counts.valid = Int(row.int("valid"))
            counts.invalid = Int(row.int("invalid"))
            counts.missing = Int(row.int("missing"))
            counts.duplicates = Int(row.int("duplicates"))
            counts.malformedRows = Int(row.int("malformed_rows"))
            counts.fields = fields[row.int("id")] ?? []
            return DataQualityCheck(id: row.int("id"), projectID: row.int("project_id"), checkedOn: Day(ordinal: Int(row.int("checked_on"))),
                                    checkedAt: row.string("checked_at"), checkedBy: row.string("checked_by"), counts: counts)
        }
    }

    static let loadColumns = "id, project_id, name, loaded_on, migrated, verified, rejected, recorded_by, recorded_at"

    public func saveMigrationLoad(_ load: MigrationLoad, audit: AuditRecord) async throws -> MigrationLoad {
        var saved = load
        saved.id = try await newID("migration_load")
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([Self.insert("migration_load", Self.loadColumns.components, [
            .integer(saved.id), .integer(saved.projectID), .text(saved.name), .integer(Int64(saved.loadedOn.ordinal)), .integer(Int64(saved.migrated)),
            .integer(Int64(saved.verified)), .integer(Int64(saved.rejected)), .text(saved.recordedBy), .text(saved.recordedAt)])], audit: audit)
        return saved
    }

    public func migrationLoads(projectID: Int64) async throws -> [MigrationLoad] {
        try await database.fetch("SELECT \(Self.loadColumns) FROM migration_load WHERE project_id = ? ORDER BY loaded_on, id", [.integer(projectID)]).map { row in
            MigrationLoad(id: row.int("id"), projectID: row.int("project_id"), name: row.string("name"), loadedOn: Day(ordinal: Int(row.int("loaded_on"))),
                          migrated: Int(row.int("migrated")), verified: Int(row.int("verified")), rejected: Int(row.int("rejected")),
                          recordedBy: row.string("recorded_by"), recordedAt: row.string("recorded_at"))
        }
    }
}
