import Foundation
import WaymarkCore
import WaymarkStorage

/// The application-service layer: every read and write from the web app, the API and the CLI
/// goes through here with the acting user, so authorisation and audit live in one place.
public struct ProgrammeService: Sendable {
    public let store: any WaymarkStore
    public let clock: WaymarkClock
    public let rag: RAGRule

    public init(store: any WaymarkStore, clock: WaymarkClock = WaymarkClock(), rag: RAGRule = RAGRule()) {
        self.store = store
        self.clock = clock
        self.rag = rag
    }

    // MARK: The authorisation point

    /// The one place that decides: the actor's scope if their role (and token) permit
    /// `activity`, otherwise a refusal that is audited. Every read and write starts here, and
    /// every query is then built from the scope it returns.
    public func authorise(_ activity: Activity, as user: ActingUser) async throws -> AccessScope {
        guard let scope = user.scope, user.grants.contains(activity) else {
            await auditDenial("denied: \(activity.rawValue)", entityType: "user", entityID: user.account?.id ?? 0, as: user)
            throw ServiceError(.forbidden, user.scope == nil
                ? "Your account has no access to programme records. Ask a system administrator to check your role and organisation."
                : "Your role (\(user.role?.title ?? user.name)) does not permit this. Ask your programme office if you need it.")
        }
        return scope
    }

    /// Records a refused attempt. Auditing must never turn a refusal into a different error,
    /// so a failure to write it is not rethrown.
    func auditDenial(_ action: String, entityType: String, entityID: Int64, as user: ActingUser) async {
        try? await store.recordAudit(AuditRecord(at: clock.timestamp, actor: user.name, origin: user.origin, action: action,
                                                 entityType: entityType, entityID: entityID, before: nil, after: nil))
    }

    // MARK: Reads

    public struct OrganisationView: Sendable {
        public var organisation: Organisation
        public var ancestors: [Organisation]
        public var rollUp: RollUpReport
        /// The projects held at a site (empty for larger organisations, whose lists are paged).
        public var projects: [ProjectListing]
    }

    public func organisationView(code: String?, as user: ActingUser) async throws -> OrganisationView {
        let scope = try await authorise(.viewRecords, as: user)
        let organisation = try await organisation(code: code, scope: scope, as: user)
        async let ancestors = store.ancestors(of: organisation, scope: scope)
        async let rollUp = store.rollUp(for: organisation, scope: scope)
        let projects = organisation.kind == .site
            ? try await store.projects(ProjectQuery(scope: scope, within: organisation, limit: 100, includeMilestones: false)).items : []
        return OrganisationView(organisation: organisation, ancestors: try await ancestors, rollUp: try await rollUp,
                                projects: projects)
    }

    /// The organisation with `code`, or the top of the actor's scope when `code` is nil.
    public func organisation(code: String?, as user: ActingUser) async throws -> Organisation {
        try await organisation(code: code, scope: try await authorise(.viewRecords, as: user), as: user)
    }

    private func organisation(code: String?, scope: AccessScope, as user: ActingUser) async throws -> Organisation {
        guard let code else {
            let home: Organisation?
            switch scope {
            case .national: home = try await store.national()
            case .subtree(_, let id), .supplier(let id): home = try await store.organisation(id: id, scope: scope)
            }
            guard let home else {
                throw ServiceError(.notFound, "The database holds no programme yet; run `waymark seed --demo`.")
            }
            return home
        }
        guard let organisation = try await store.organisation(code: code, scope: scope) else {
            if scope != .national, let hidden = try await store.organisation(code: code, scope: .national) {
                await auditDenial("denied: out of scope", entityType: "organisation", entityID: hidden.id, as: user)
            }
            throw ServiceError.unknownOrganisation(code)
        }
        return organisation
    }

    /// The organisation's ancestors that the actor can see, national first.
    public func ancestors(of organisation: Organisation, as user: ActingUser) async throws -> [Organisation] {
        try await store.ancestors(of: organisation, scope: try await authorise(.viewRecords, as: user))
    }

    public func organisations(_ query: OrganisationQuery, as user: ActingUser) async throws -> Page<Organisation> {
        var query = query
        query.scope = try await authorise(.viewRecords, as: user)
        return try await store.organisations(query)
    }

    public func rollUp(code: String, as user: ActingUser) async throws -> RollUpReport {
        let scope = try await authorise(.viewRecords, as: user)
        return try await store.rollUp(for: try await organisation(code: code, scope: scope, as: user), scope: scope)
    }

    public func projects(_ query: ProjectQuery, as user: ActingUser) async throws -> Page<ProjectListing> {
        try await projects(query, for: .viewRecords, as: user)
    }

    /// A page of the export: the same scoped query, under the export permission.
    public func exportPage(_ query: ProjectQuery, as user: ActingUser) async throws -> Page<ProjectListing> {
        try await projects(query, for: .exportRecords, as: user)
    }

    private func projects(_ query: ProjectQuery, for activity: Activity, as user: ActingUser) async throws -> Page<ProjectListing> {
        var query = query
        query.scope = try await authorise(activity, as: user)
        if let code = query.productCode, ProductCatalogue.product(code: code) == nil {
            throw ServiceError(.badRequest, "Unknown product code '\(code)'. Known products: \(ProductCatalogue.all.map(\.code).joined(separator: ", ")).")
        }
        return try await store.projects(query)
    }

    public struct ProjectView: Sendable {
        public var listing: ProjectListing
        public var organisation: Organisation
        public var ancestors: [Organisation]
        public var status: RAGStatus
        public var statusReason: String
        public var sequenceWarnings: [SequenceWarning]
        public var history: [AuditRecord]
        public var today: Day
        public var calendar: WorkingCalendar
        /// Whether the actor may record milestone dates here (the form is shown only then).
        public var canRecordMilestones: Bool
        public var project: ImplementationProject { listing.project }
    }

    /// The project's page. After a write, `saved` is the project as that write committed it, so
    /// the answer shows this write's state even when another has landed since.
    public func projectView(code: String, showing saved: ImplementationProject? = nil, as user: ActingUser) async throws -> ProjectView {
        let scope = try await authorise(.viewRecords, as: user)
        var listing = try await projectListing(code: code, scope: scope, as: user)
        if let saved {
            listing.project = saved
            listing.ragBasis = saved.ragBasis
        }
        guard let organisation = try await store.organisation(id: listing.project.organisationID, scope: scope) else {
            throw ServiceError.unknownProject(code)
        }
        let ancestors = try await store.ancestors(of: organisation, scope: scope)
        // Sequence warnings compare with the other projects at the same places, as far as the actor can see.
        let related = try await store.projects(ProjectQuery(
            scope: scope, organisationIDs: [organisation.id] + ancestors.map(\.id), limit: 200)).items
            .filter { $0.project.id != listing.project.id }
        let today = clock.today
        let (status, reason) = rag.status(of: listing.project.milestones, today: today)
        let history = try await store.auditEntries(AuditQuery(entityType: "project", entityID: listing.project.id,
                                                              changesOnly: true, limit: 20)).items
        return ProjectView(
            listing: listing, organisation: organisation, ancestors: ancestors, status: status, statusReason: reason,
            sequenceWarnings: SequenceRules.warnings(for: listing.project.plannedGoLive, among: related.map(\.project.plannedGoLive)),
            history: history, today: today, calendar: rag.calendar, canRecordMilestones: user.permits(.recordMilestones))
    }

    /// Statuses for a page of projects, in order, reading the date once (a calendar lookup per
    /// row showed in profiles).
    public func statuses(of listings: [ProjectListing]) -> [RAGStatus] {
        let today = clock.today
        return listings.map { rag.status(of: $0.ragBasis, today: today) }
    }

    /// The project with its milestones, without the page's extras (ancestors, history, warnings).
    public func project(code: String, as user: ActingUser) async throws -> ImplementationProject {
        try await projectListing(code: code, scope: try await authorise(.viewRecords, as: user), as: user).project
    }

    public struct SearchResults: Sendable {
        public var organisations: [Organisation]
        public var projects: [ProjectListing]
    }

    public func search(_ text: String, as user: ActingUser, limit: Int = 20) async throws -> SearchResults {
        let scope = try await authorise(.viewRecords, as: user)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return SearchResults(organisations: [], projects: []) }
        async let organisations = store.organisations(OrganisationQuery(scope: scope, text: text, limit: limit))
        async let projects = store.projects(ProjectQuery(scope: scope, text: text, limit: limit))
        return SearchResults(organisations: try await organisations.items, projects: try await projects.items)
    }

    // MARK: Writes

    /// Records forecast and actual dates for some of a project's milestones. Checked by the
    /// milestone rules, saved only if the project is still at `expectedVersion` (when given),
    /// and audited in the same transaction.
    public func recordMilestoneDates(projectCode: String, dates: [MilestoneKind: MilestoneDates],
                                     expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        try await record(dates, on: try await projectForChange(code: projectCode, as: user), expectedVersion: expectedVersion, as: user)
    }

    /// The project an actor is about to change: out of scope reads as absent (404) before the
    /// role is checked (403), so a refusal never confirms that a hidden record exists.
    private func projectForChange(code: String, as user: ActingUser) async throws -> ImplementationProject {
        let project = try await projectListing(code: code, scope: try await authorise(.viewRecords, as: user), as: user).project
        _ = try await authorise(.recordMilestones, as: user)
        return project
    }

    private func record(_ dates: [MilestoneKind: MilestoneDates], on current: ImplementationProject,
                        expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        if let expectedVersion, expectedVersion != current.version {
            throw ServiceError(.conflict, "Project \(current.code) has changed since you loaded it (version \(expectedVersion), now \(current.version)). Reload it and enter your dates again.")
        }
        let updated = try MilestoneRules.apply(dates, to: current, today: clock.today)
        guard updated != current else { return current }
        let audit = AuditRecord(
            at: clock.timestamp, actor: user.name, origin: user.origin, action: "record milestone dates",
            entityType: "project", entityID: current.id,
            before: Self.snapshot(current), after: Self.snapshot(updated))
        do {
            return try await store.saveMilestones(of: updated, expectedVersion: current.version, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.conflict, "Project \(current.code) was changed by someone else while you saved. Reload it and enter your dates again.")
        }
    }

    /// A partial change to one milestone: nil leaves a date as it is; `.some(nil)` clears it.
    public func updateMilestone(projectCode: String, kind: MilestoneKind, forecast: Day??, actual: Day??,
                                expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        let current = try await projectForChange(code: projectCode, as: user)
        guard let milestone = current.milestone(kind) else {
            throw ValidationFailure([FieldError(
                field: MilestoneRules.field("milestone", kind),
                message: "\(current.type.title) projects do not carry the \(kind.title) milestone.")])
        }
        let dates = MilestoneDates(forecast: forecast ?? milestone.forecast, actual: actual ?? milestone.actual)
        return try await record([kind: dates], on: current, expectedVersion: expectedVersion, as: user)
    }

    /// The project with `code` if the actor may do `activity` to it: 404 out of scope before 403
    /// without the permission, as for every project route.
    func scopedProject(code: String, for activity: Activity, as user: ActingUser) async throws -> ProjectListing {
        let listing = try await projectListing(code: code, scope: try await authorise(.viewRecords, as: user), as: user)
        if activity != .viewRecords { _ = try await authorise(activity, as: user) }
        return listing
    }

    /// The scoped read behind every project route. Out of scope answers exactly like unknown;
    /// the attempt is audited. Supplier staff's reads are audited too (they see records of
    /// organisations they do not belong to).
    private func projectListing(code: String, scope: AccessScope, as user: ActingUser) async throws -> ProjectListing {
        guard let listing = try await store.project(code: code, scope: scope) else {
            if scope != .national, let hiddenID = try await store.unscopedProjectID(code: code) {
                await auditDenial("denied: out of scope", entityType: "project", entityID: hiddenID, as: user)
            }
            throw ServiceError.unknownProject(code)
        }
        if user.isSupplier {
            try await store.recordAudit(AuditRecord(at: clock.timestamp, actor: user.name, origin: user.origin, action: "read project",
                                                    entityType: "project", entityID: listing.project.id, before: nil, after: nil))
        }
        return listing
    }

    struct MilestoneSnapshot: Codable {
        var kind: String
        var baseline: String?
        var forecast: String?
        var actual: String?
    }

    static func snapshot(_ project: ImplementationProject) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = project.milestones.map {
            MilestoneSnapshot(kind: $0.kind.rawValue, baseline: $0.baseline?.iso, forecast: $0.forecast?.iso, actual: $0.actual?.iso)
        }
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

extension ProgrammeService {
    /// The audit trail, for roles that permit it. Audit entries span every organisation, so the
    /// view needs national scope as well as the permission.
    public func auditTrail(projectCode: String?, actor: String?, from: Day?, to: Day?, before: Int64?,
                           as user: ActingUser) async throws -> Page<AuditRecord> {
        let scope = try await authorise(.viewAudit, as: user)
        guard scope == .national else {
            await auditDenial("denied: viewAudit", entityType: "user", entityID: user.account?.id ?? 0, as: user)
            throw ServiceError(.forbidden, "The audit trail covers every organisation, so only national roles can read it.")
        }
        var query = AuditQuery(actor: actor, from: from?.iso, to: to?.iso, before: before, limit: 50)
        if let projectCode {
            guard let listing = try await store.project(code: projectCode, scope: scope) else { throw ServiceError.unknownProject(projectCode) }
            query.entityType = "project"
            query.entityID = listing.project.id
        }
        return try await store.auditEntries(query)
    }
}
