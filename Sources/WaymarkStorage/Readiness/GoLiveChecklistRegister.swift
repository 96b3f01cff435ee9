import WaymarkCore

/// Go Live Checklists per project (issue 14). Callers have checked the project is in scope;
/// each write is audited in its transaction and guarded by the checklist's version.
public protocol GoLiveChecklistRegister: Sendable {
    func goLiveChecklists(projectID: Int64) async throws -> [GoLiveChecklist]
    func goLiveChecklist(projectID: Int64, template: String) async throws -> GoLiveChecklist?
    /// Starts a checklist; `.duplicate` if the project has one from that template already.
    func startGoLiveChecklist(_ checklist: GoLiveChecklist, audit: AuditRecord) async throws -> GoLiveChecklist
    /// Writes one item at the checklist's `expectedVersion` and moves the version on;
    /// `.conflict` if it changed.
    func saveChecklistItem(checklistID: Int64, _ item: ChecklistItemState, expectedVersion: Int, audit: AuditRecord) async throws
}
