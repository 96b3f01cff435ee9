import WaymarkCore

/// Data-quality checks and migration loads, per project (issue 14). The callers have already
/// checked the project is within the actor's scope; each write is audited in its transaction.
public protocol DataQualityRegister: Sendable {
    /// Saves a check's counts (the store assigns its id).
    func saveDataQualityCheck(_ check: DataQualityCheck, audit: AuditRecord) async throws -> DataQualityCheck
    /// A project's checks, oldest first.
    func dataQualityChecks(projectID: Int64) async throws -> [DataQualityCheck]
    func saveMigrationLoad(_ load: MigrationLoad, audit: AuditRecord) async throws -> MigrationLoad
    /// A project's loads, oldest first.
    func migrationLoads(projectID: Int64) async throws -> [MigrationLoad]
}
