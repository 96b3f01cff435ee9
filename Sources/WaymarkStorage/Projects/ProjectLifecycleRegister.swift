import WaymarkCore

/// Creating, closing and cancelling projects (issue 13). Each is one transaction with its
/// audit entry. Nothing is deleted: a closed or cancelled project keeps its history.
public protocol ProjectLifecycleRegister: Sendable {
    /// Adds `projects` with their milestones (the store assigns ids), all or nothing. A taken
    /// code, or a release already held, is `.duplicate`.
    func createProjects(_ projects: [ImplementationProject], audit: AuditRecord) async throws -> [ImplementationProject]
    /// Saves a project's state, date and reason if it is still at `expectedVersion` and live.
    func setProjectState(_ project: ImplementationProject, expectedVersion: Int, audit: AuditRecord) async throws -> ImplementationProject
    /// Every release of `productCode` at the organisation, live or not.
    func releases(organisationID: Int64, productCode: String) async throws -> [ImplementationProject]
    /// Whether an open line of an agreed DIP names the project.
    func isInAgreedDIP(projectID: Int64) async throws -> Bool
    /// Whether change note `ccnID` is approved (or implemented) and names the project.
    func changeApproved(ccnID: Int64, naming projectID: Int64) async throws -> Bool
}

extension SQLStore {
    public func createProjects(_ projects: [ImplementationProject], audit: AuditRecord) async throws -> [ImplementationProject] {
        var saved = projects
        for (index, id) in try await newIDs("project", count: projects.count).enumerated() { saved[index].id = id }
        let (statements, _) = Self.statements(loading: Self.projectTables(saved))
        do {
            try await writeAudited(statements, audit: audit)
        } catch let error as StorageError where error.code == .constraint || error.code == .duplicate {
            throw StorageError(.duplicate, "A project with one of these codes, or this release, already exists.")
        }
        return saved
    }

    public func setProjectState(_ project: ImplementationProject, expectedVersion: Int, audit: AuditRecord) async throws -> ImplementationProject {
        try await writeAudited([SQLStatement(
            "UPDATE project SET state = ?, state_on = ?, state_reason = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'live' RETURNING version",
            [.text(project.state.rawValue), SQLValue(project.stateOn?.ordinal), SQLValue(project.stateReason), .integer(project.id),
             .integer(Int64(expectedVersion))], expectedRows: 1)], audit: audit)
        var saved = project
        saved.version = expectedVersion + 1
        return saved
    }

    public func releases(organisationID: Int64, productCode: String) async throws -> [ImplementationProject] {
        try await projects(ProjectQuery(scope: .national, organisationIDs: [organisationID], productCode: productCode, limit: 100))
            .items.map(\.project).sorted { $0.release < $1.release }
    }

    public func isInAgreedDIP(projectID: Int64) async throws -> Bool {
        !(try await database.fetch("""
            SELECT 1 AS found FROM dip_line_project lp JOIN dip_line l ON l.id = lp.line_id JOIN dip d ON d.id = l.dip_id
            WHERE lp.project_id = ? AND l.removed = 0 AND d.state = 'agreed' LIMIT 1
            """, [.integer(projectID)])).isEmpty
    }

    public func changeApproved(ccnID: Int64, naming projectID: Int64) async throws -> Bool {
        !(try await database.fetch("""
            SELECT 1 AS found FROM ccn c JOIN ccn_project cp ON cp.ccn_id = c.id
            WHERE c.id = ? AND cp.project_id = ? AND c.state IN ('approved', 'implemented')
            """, [.integer(ccnID), .integer(projectID)])).isEmpty
    }
}
