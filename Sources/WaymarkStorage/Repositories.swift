import WaymarkCore

/// A page of results with a keyset cursor: pass `nextCursor` back as `after` for the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: Int64?
    public init(items: [Item], nextCursor: Int64?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

public struct OrganisationQuery: Sendable {
    public var kind: OrganisationKind?
    public var parentID: Int64?
    /// Only organisations inside this one's subtree (itself excluded).
    public var within: Organisation?
    /// Case-insensitive match on name or code.
    public var text: String?
    public var after: Int64?
    public var limit: Int

    public init(kind: OrganisationKind? = nil, parentID: Int64? = nil, within: Organisation? = nil,
                text: String? = nil, after: Int64? = nil, limit: Int = 50) {
        self.kind = kind
        self.parentID = parentID
        self.within = within
        self.text = text
        self.after = after
        self.limit = limit
    }
}

public struct ProjectQuery: Sendable {
    /// Projects in this organisation's subtree; for a supplier, the projects it delivers.
    public var within: Organisation?
    public var organisationIDs: [Int64]?
    public var productCode: String?
    public var type: ProjectType?
    public var stage: NSIStage?
    /// Case-insensitive match on project code or organisation name.
    public var text: String?
    public var after: Int64?
    public var limit: Int
    /// Lists that show only status can skip reading milestone rows.
    public var includeMilestones: Bool

    public init(within: Organisation? = nil, organisationIDs: [Int64]? = nil, productCode: String? = nil,
                type: ProjectType? = nil, stage: NSIStage? = nil, text: String? = nil,
                after: Int64? = nil, limit: Int = 25, includeMilestones: Bool = true) {
        self.includeMilestones = includeMilestones
        self.within = within
        self.organisationIDs = organisationIDs
        self.productCode = productCode
        self.type = type
        self.stage = stage
        self.text = text
        self.after = after
        self.limit = limit
    }
}

/// A project with the names a list shows beside it.
public struct ProjectListing: Sendable, Hashable {
    public var project: ImplementationProject
    public var organisationCode: String
    public var organisationName: String
    public var supplierName: String?
    /// Stored with the project, so status is known even when milestones were not read.
    public var ragBasis: RAGBasis
}

/// A roll-up of one organisation's subtree, grouped by the level below it and by product.
public struct RollUpReport: Sendable {
    public struct Group: Sendable {
        /// nil for projects held at the organisation itself rather than below it.
        public var organisation: Organisation?
        public var cells: [String: RollUpCell]
        public var total: RollUpCell

        public init(organisation: Organisation?, cells: [String: RollUpCell], total: RollUpCell) {
            self.organisation = organisation
            self.cells = cells
            self.total = total
        }
    }
    public var organisation: Organisation
    public var groups: [Group]
    public var totals: [String: RollUpCell]
    public var total: RollUpCell
    /// Products that appear, in catalogue order.
    public var productCodes: [String]
}

/// One append-only audit entry, written in the same transaction as the change it records.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var at: String
    public var actor: String
    public var origin: String?
    public var action: String
    public var entityType: String
    public var entityID: Int64
    public var before: String?
    public var after: String?

    public init(id: Int64? = nil, at: String, actor: String, origin: String?, action: String,
                entityType: String, entityID: Int64, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.origin = origin
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
    }
}

public protocol OrganisationRepository: Sendable {
    func organisation(code: String) async throws -> Organisation?
    func organisation(id: Int64) async throws -> Organisation?
    func organisations(_ query: OrganisationQuery) async throws -> Page<Organisation>
    /// National down to the parent, in that order.
    func ancestors(of organisation: Organisation) async throws -> [Organisation]
    func national() async throws -> Organisation?
}

public protocol ProjectRepository: Sendable {
    func project(code: String) async throws -> ProjectListing?
    func projects(_ query: ProjectQuery) async throws -> Page<ProjectListing>
    /// Saves the project's milestones and derived fields if its version is still
    /// `expectedVersion`, with the audit record, in one transaction; returns the saved project.
    func saveMilestones(of project: ImplementationProject, expectedVersion: Int, audit: AuditRecord) async throws -> ImplementationProject
}

public protocol RollUpRepository: Sendable {
    func rollUp(for organisation: Organisation) async throws -> RollUpReport
}

public protocol AuditRepository: Sendable {
    func auditEntries(entityType: String, entityID: Int64, limit: Int) async throws -> [AuditRecord]
}

/// Loads generated data into an empty database, atomically.
public protocol DatasetLoader: Sendable {
    func load(_ dataset: ProgrammeDataset, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) async throws
    func isEmpty() async throws -> Bool
}

/// Everything Waymark stores; one contract suite checks every implementation.
public protocol WaymarkStore: OrganisationRepository, ProjectRepository, RollUpRepository, AuditRepository, DatasetLoader {}
