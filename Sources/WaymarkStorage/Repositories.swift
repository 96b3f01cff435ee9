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
    /// The actor's scope, which the service layer sets. Deny by default: a query without one
    /// matches nothing.
    public var scope: AccessScope?
    public var kind: OrganisationKind?
    public var parentID: Int64?
    /// Only organisations inside this one's subtree (itself excluded).
    public var within: Organisation?
    /// Case-insensitive match on name or code.
    public var text: String?
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, kind: OrganisationKind? = nil, parentID: Int64? = nil, within: Organisation? = nil,
                text: String? = nil, after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.kind = kind
        self.parentID = parentID
        self.within = within
        self.text = text
        self.after = after
        self.limit = limit
    }
}

public struct ProjectQuery: Sendable {
    /// The actor's scope, which the service layer sets. Deny by default: a query without one
    /// matches nothing.
    public var scope: AccessScope?
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
    /// Only projects that have a plan.
    public var withPlan = false

    public init(scope: AccessScope? = nil, within: Organisation? = nil, organisationIDs: [Int64]? = nil, productCode: String? = nil,
                type: ProjectType? = nil, stage: NSIStage? = nil, text: String? = nil,
                after: Int64? = nil, limit: Int = 25, includeMilestones: Bool = true) {
        self.scope = scope
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
    /// The stage from milestone dates, stored with the project: lists read without milestones,
    /// where `project.stage` would always be 0, so every list shows this one.
    public var stage: NSIStage
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

/// Filters for the audit view; every field is optional. Newest first, keyset-paged by id.
public struct AuditQuery: Sendable {
    public var entityType: String?
    public var entityID: Int64?
    public var actor: String?
    /// ISO dates, inclusive (compared with the entry's timestamp prefix).
    public var from: String?
    public var to: String?
    public var before: Int64?
    /// Only entries that record a change (with a before or after state), leaving out reads,
    /// sign-ins and refusals.
    public var changesOnly: Bool
    public var limit: Int

    public init(entityType: String? = nil, entityID: Int64? = nil, actor: String? = nil, from: String? = nil,
                to: String? = nil, before: Int64? = nil, changesOnly: Bool = false, limit: Int = 50) {
        self.changesOnly = changesOnly
        self.entityType = entityType
        self.entityID = entityID
        self.actor = actor
        self.from = from
        self.to = to
        self.before = before
        self.limit = limit
    }
}

/// Every read takes the actor's `AccessScope` and builds it into its SQL; a record outside the
/// scope reads as absent.
public protocol OrganisationRepository: Sendable {
    func organisation(code: String, scope: AccessScope) async throws -> Organisation?
    func organisation(id: Int64, scope: AccessScope) async throws -> Organisation?
    func organisations(_ query: OrganisationQuery) async throws -> Page<Organisation>
    /// National down to the parent, in that order, leaving out those outside `scope`.
    func ancestors(of organisation: Organisation, scope: AccessScope) async throws -> [Organisation]
    /// The national programme: the root of the national scope.
    func national() async throws -> Organisation?
}

public protocol ProjectRepository: Sendable {
    func project(code: String, scope: AccessScope) async throws -> ProjectListing?
    func projects(_ query: ProjectQuery) async throws -> Page<ProjectListing>
    /// The id of the project with `code` whatever the scope: only for auditing a denied
    /// attempt, never for showing anything.
    func unscopedProjectID(code: String) async throws -> Int64?
    /// Saves the project's milestones and derived fields if its version is still
    /// `expectedVersion`, with the audit record, in one transaction; returns the saved project.
    func saveMilestones(of project: ImplementationProject, expectedVersion: Int, audit: AuditRecord) async throws -> ImplementationProject
}

public protocol RollUpRepository: Sendable {
    /// The roll-up of `organisation`'s subtree, counting only projects within `scope`.
    func rollUp(for organisation: Organisation, scope: AccessScope) async throws -> RollUpReport
}

public protocol AuditRepository: Sendable {
    func auditEntries(entityType: String, entityID: Int64, limit: Int) async throws -> [AuditRecord]
    func auditEntries(_ query: AuditQuery) async throws -> Page<AuditRecord>
    /// Appends an entry that goes with no other change: a read, a sign-in, a denied action.
    func recordAudit(_ audit: AuditRecord) async throws
}

/// An API token with the user it acts as and that user's organisation.
public struct TokenHolder: Sendable, Hashable {
    public var token: APITokenRecord
    public var user: UserAccount
    public var organisation: Organisation
    public init(token: APITokenRecord, user: UserAccount, organisation: Organisation) {
        self.token = token
        self.user = user
        self.organisation = organisation
    }
}

public protocol AccountRepository: Sendable {
    /// Adds the user, audited; `.duplicate` when the username is taken.
    func addUser(_ user: UserAccount, audit: AuditRecord) async throws -> UserAccount
    func user(username: String) async throws -> UserAccount?
    func user(id: Int64) async throws -> UserAccount?
    func users(limit: Int) async throws -> [UserAccount]
    /// Stores a new session (and deletes `old`, so sign-in rotates it), audited as the sign-in.
    func createSession(_ session: SessionRecord, replacing old: String?, audit: AuditRecord) async throws
    func session(secretHash: String) async throws -> SessionRecord?
    func touchSession(secretHash: String, at time: Int64) async throws
    func deleteSession(secretHash: String, audit: AuditRecord?) async throws
    func deleteExpiredSessions(idleCutoff: Int64, ageCutoff: Int64) async throws
    func createToken(_ token: APITokenRecord, audit: AuditRecord) async throws -> APITokenRecord
    func token(secretHash: String) async throws -> APITokenRecord?
    /// The token with its user and the user's organisation, in one read (the API's hot path).
    func tokenHolder(secretHash: String) async throws -> TokenHolder?
    func tokens(userID: Int64) async throws -> [APITokenRecord]
    /// `.notFound` when the token is not the user's or is already revoked.
    func revokeToken(id: Int64, userID: Int64, at time: Int64, audit: AuditRecord) async throws
    func touchToken(id: Int64, at time: Int64) async throws
}

/// A project's plan as stored, with the version an update must name.
public struct StoredPlan: Sendable, Hashable {
    public var plan: ProjectPlan
    public var version: Int
    public init(plan: ProjectPlan, version: Int) {
        self.plan = plan
        self.version = version
    }
}

public protocol PlanRepository: Sendable {
    func plan(projectID: Int64) async throws -> StoredPlan?
    /// Replaces the project's whole plan (tasks and dependencies) if it is still at
    /// `expectedVersion` (nil: there must be no plan yet), with the audit entry, atomically.
    /// Returns the new version.
    func savePlan(_ plan: ProjectPlan, projectID: Int64, expectedVersion: Int?, audit: AuditRecord) async throws -> Int
    func baselines(projectID: Int64) async throws -> [PlanBaseline]
    /// `.duplicate` when the project already has a baseline with that name.
    func saveBaseline(_ baseline: PlanBaseline, projectID: Int64, audit: AuditRecord) async throws
    /// Codes of projects whose plans depend on tasks of `projectCode`.
    func dependentProjectCodes(of projectCode: String) async throws -> [String]
    /// Calendar exceptions set at any of these organisations.
    func calendarExceptions(organisationIDs: [Int64]) async throws -> [CalendarException]
    /// Sets (or replaces) an organisation's exception for a day, audited.
    func saveCalendarException(_ exception: CalendarException, audit: AuditRecord) async throws
}

/// A day an organisation does not work (`working` false) or works although it is a weekend or
/// bank holiday (`working` true). It applies to the organisation's whole subtree.
public struct CalendarException: Sendable, Hashable {
    public var organisationID: Int64
    public var day: Day
    public var working: Bool
    public var note: String
    public init(organisationID: Int64, day: Day, working: Bool, note: String) {
        self.organisationID = organisationID
        self.day = day
        self.working = working
        self.note = note
    }
}

/// Loads generated data into an empty database, atomically.
public protocol DatasetLoader: Sendable {
    func load(_ dataset: ProgrammeDataset, seed: String?, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) async throws
    /// The projects and their records, into a database that holds their organisations already.
    func loadRecords(_ dataset: ProgrammeDataset, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) async throws
    func isEmpty() async throws -> Bool
    func seedState(_ name: String) async throws -> SeedState?
    func markSeedComplete(_ name: String) async throws
    func discardPartialSeed(_ name: String) async throws
}

extension DatasetLoader {
    public func load(_ dataset: ProgrammeDataset, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) async throws {
        try await load(dataset, seed: nil, progress: progress)
    }
}

/// Whether the database can serve: for readiness checks and for refusing to start.
public protocol StoreHealth: Sendable {
    /// Returns once the database has answered a trivial read.
    func ping() async throws
    /// Throws `.unavailable` when the database cannot take writes (a read-only file, a standby).
    func checkWritable() async throws
}

/// Everything Waymark stores; one contract suite checks every implementation.
public protocol WaymarkStore: OrganisationRepository, ProjectRepository, RollUpRepository, AuditRepository,
    AccountRepository, PlanRepository, TrackingRepository, LessonRepository, ChangeControlRepository, DocumentRepository, DatasetLoader,
    StoreHealth, IdempotencyRepository, OrganisationRegister, SupplierContractRegister, ProjectLifecycleRegister, UserDirectory, RollOutRegister,
    DataQualityRegister, SurveyRegister, ReadinessReportRegister, GoLiveChecklistRegister, GoLivePolicyRegister, GoingLiveRegister,
    StaffRegister, RegistrationRegister, TrainingRegister, PeopleRollUpRegister {}
