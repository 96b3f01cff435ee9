import WaymarkCore

/// Operational Readiness Reports. The snapshot column is written by the insert alone: no
/// statement here updates it, and the sign-off update matches the hash it signs.
extension SQLStore {
    static let readinessReportMigration = Migration(version: 24, name: "operational readiness reports") { _ in
        [
            """
            CREATE TABLE readiness_report (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                number INTEGER NOT NULL CHECK (number >= 1),
                snapshot TEXT NOT NULL,
                hash TEXT NOT NULL,
                signed_by TEXT,
                signed_at TEXT,
                UNIQUE (project_id, number)
            )
            """,
        ]
    }

    public func saveReadinessReport(_ record: ReadinessReportRecord, audit: AuditRecord) async throws -> ReadinessReportRecord {
        var saved = record
        saved.id = try await newID("readiness_report")
        saved.number = try await nextNumber("readiness_report", "number", parent: "project_id", owner: record.projectID)
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([SQLStatement("""
            INSERT INTO readiness_report (id, project_id, number, snapshot, hash) VALUES (?, ?, ?, ?, ?)
            """, [.integer(saved.id), .integer(saved.projectID), .integer(Int64(saved.number)), .text(saved.snapshot), .text(saved.hash)])],
            audit: audit)
        return saved
    }

    public func readinessReports(projectID: Int64) async throws -> [ReadinessReportRecord] {
        try await readinessReports("project_id = ?", [.integer(projectID)])
    }

    public func readinessReport(projectID: Int64, number: Int) async throws -> ReadinessReportRecord? {
        try await readinessReports("project_id = ? AND number = ?", [.integer(projectID), .integer(Int64(number))]).first
    }

    func readinessReports(_ condition: String, _ binds: [SQLValue]) async throws -> [ReadinessReportRecord] {
        try await database.fetch("""
            SELECT id, project_id, number, snapshot, hash, signed_by, signed_at FROM readiness_report WHERE \(condition) ORDER BY number DESC
            """, binds).map { row in
            ReadinessReportRecord(id: row.int("id"), projectID: row.int("project_id"), number: Int(row.int("number")),
                                  snapshot: row.string("snapshot"), hash: row.string("hash"),
                                  signedBy: row.optionalString("signed_by"), signedAt: row.optionalString("signed_at"))
        }
    }

    public func signReadinessReport(id: Int64, hash: String, by name: String, at timestamp: String, audit: AuditRecord) async throws {
        var audit = audit
        audit.entityID = id
        try await writeAudited([SQLStatement("""
            UPDATE readiness_report SET signed_by = ?, signed_at = ? WHERE id = ? AND hash = ? AND signed_by IS NULL RETURNING id
            """, [.text(name), .text(timestamp), .integer(id), .text(hash)], expectedRows: 1),
            Self.refreshReadiness("(SELECT project_id FROM readiness_report WHERE id = ?)", [.integer(id)])], audit: audit)
    }
}
