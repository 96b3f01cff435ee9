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
    /// Where the projects from `template` (any version of its code) now depart from it.
    func deviations(templateCode: String) async throws -> RollOutDeviations
}

/// The deviation report: moved baselines (and the CCN that moved each) and projects on another
/// catalogue version than their template's.
public struct RollOutDeviations: Sendable {
    public struct MovedBaseline: Sendable, Hashable {
        public var projectCode: String
        public var milestone: MilestoneKind
        public var expected: Day
        public var baseline: Day?
        /// The latest approved CCN that moved it, if any.
        public var ccnID: Int64?
    }
    public struct CatalogueChange: Sendable, Hashable {
        public var projectCode: String
        public var templateVersion: Int
        public var expected: Int
        public var actual: Int
    }
    public var projects: Int
    public var moved: [MovedBaseline]
    public var catalogue: [CatalogueChange]
}
