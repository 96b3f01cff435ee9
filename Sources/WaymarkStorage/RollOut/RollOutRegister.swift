import WaymarkCore

/// Roll-out templates and the projects rolled out from them (issue 13).
public protocol RollOutRegister: Sendable {
    /// Saves a new template version (the store assigns its id). A taken code and version is `.duplicate`.
    func saveTemplate(_ template: RollOutTemplate, audit: AuditRecord) async throws -> RollOutTemplate
    /// Every version of every template, newest version first within each code.
    func templates() async throws -> [RollOutTemplate]
    /// A template's version, or its latest when `version` is nil.
    func template(code: String, version: Int?) async throws -> RollOutTemplate?
    /// Creates every project with its milestones, catalogue version and the template it came
    /// from, in one transaction with one audit entry. `starts` is each project's wave and start.
    func applyRollOut(_ projects: [ImplementationProject], starts: [(wave: Int, start: Day)], template: RollOutTemplate,
                      appliedBy: String, at: String, audit: AuditRecord) async throws -> [ImplementationProject]
    /// The projects on an older version of the template's code than `template`, each with its
    /// wave start and the baselines its version gave it.
    func projectsBehind(_ template: RollOutTemplate) async throws -> [(code: String, waveStart: Day, expected: [MilestoneKind: Day])]
    /// Moves each project to `template`: saves its milestones (and derived columns) at its
    /// version, its link and its expected baselines; one transaction, one audit entry.
    func upgradeProjects(_ projects: [(project: ImplementationProject, expected: [MilestoneKind: Day])], to template: RollOutTemplate,
                         audit: AuditRecord) async throws
    /// Per organisation holding any project of the product: its highest release, and whether
    /// any of them is live.
    func releasesHeld(productCode: String) async throws -> [Int64: (release: Int, live: Bool)]
    /// Where the projects from `template` (any version of its code) now depart from it, within
    /// `scope`, and only for `projectID` when given.
    func deviations(templateCode: String, scope: AccessScope?, projectID: Int64?) async throws -> RollOutDeviations
    /// The template a project was rolled out from, with its wave and start; nil for a project
    /// made by hand.
    func projectTemplate(projectID: Int64) async throws -> (template: RollOutTemplate, wave: Int, waveStart: Day)?
}
