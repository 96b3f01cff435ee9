import WaymarkCore

/// Changes to the organisation hierarchy (issue 13). Each is one transaction with its audit
/// entry; none deletes anything, so history, roll-ups and the audit trail keep every organisation.
public protocol OrganisationRegister: Sendable {
    /// Adds `organisation` under `parent` (nil for a supplier or the national programme). The
    /// store assigns its id and its ancestry from the parent's. A taken code is `.duplicate`.
    func createOrganisation(_ organisation: Organisation, parent: Organisation?, audit: AuditRecord) async throws -> Organisation
    /// Saves the name, subtype, postcode and dates of an organisation still at `expectedVersion`
    /// (`.conflict` otherwise). Code, kind and parent do not change here.
    func updateOrganisation(_ organisation: Organisation, expectedVersion: Int, audit: AuditRecord) async throws -> Organisation
    /// Moves an organisation still at `expectedVersion` under `parent`. Its own ancestry, its
    /// subtree's, and the ancestry copied onto their projects, registers, documents and lessons
    /// all follow, and so does each project's supplier (the contracts in force `today` above its
    /// new place). Change control stays with the cluster board that decided it.
    func moveOrganisation(_ organisation: Organisation, to parent: Organisation, expectedVersion: Int, today: Day,
                          audit: AuditRecord) async throws -> Organisation
    /// Projects at or below the organisation (a project's own organisation counts).
    func projectCount(within organisation: Organisation) async throws -> Int
    /// Organisations directly below it that have not closed.
    func openChildCount(of organisation: Organisation) async throws -> Int
    /// Every organisation, by code: what an import is planned against.
    func organisationsByCode() async throws -> [String: Organisation]
    /// Applies an import planned against `existing`, all or nothing, with one audit entry.
    func applyOrganisationImport(_ plan: OrganisationImport.Plan, existing: [String: Organisation], today: Day,
                                 audit: AuditRecord) async throws
}
