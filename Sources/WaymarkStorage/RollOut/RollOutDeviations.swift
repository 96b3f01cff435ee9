import WaymarkCore

/// The deviation report (issue 13): where projects depart from the template they came from.
/// See docs/design/roll-out.md.
public struct RollOutDeviations: Sendable {
    /// A baseline that is not where the template put it.
    public struct MovedBaseline: Sendable, Hashable {
        public var projectCode: String
        public var milestone: MilestoneKind
        public var expected: Day
        public var baseline: Day?
        /// The latest approved CCN that moved it, if any.
        public var ccnID: Int64?
    }
    /// A project on another NSI catalogue version than its template's.
    public struct CatalogueChange: Sendable, Hashable {
        public var projectCode: String
        public var templateVersion: Int
        public var expected: Int
        public var actual: Int
    }
    /// A project's plan against the template's skeleton, by task name.
    public struct PlanChange: Sendable, Hashable {
        public var projectCode: String
        public var added: [String]
        public var removed: [String]
    }
    /// A document the template makes mandatory that the project has made obsolete.
    public struct DroppedDocument: Sendable, Hashable {
        public var projectCode: String
        public var productCode: String
    }
    public var projects: Int
    public var moved: [MovedBaseline]
    public var catalogue: [CatalogueChange]
    public var plans: [PlanChange] = []
    /// Projects whose template has a skeleton but which have no plan yet.
    public var withoutPlan = 0
    public var documents: [DroppedDocument] = []

    public var isEmpty: Bool { moved.isEmpty && catalogue.isEmpty && plans.isEmpty && documents.isEmpty }
}
