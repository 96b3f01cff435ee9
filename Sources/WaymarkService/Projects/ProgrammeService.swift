import Foundation
import WaymarkCore
import WaymarkStorage

/// The application-service layer: every read and write from the web app, the API and the CLI
/// goes through here with the acting user, so authorisation and audit live in one place.
public struct ProgrammeService: Sendable {
    public let store: any WaymarkStore
    public let clock: WaymarkClock
    public let rag: RAGRule

    /// Authorisation, scoped lookups and audit records for every service.
    public let gate: AccessGate

    public init(store: any WaymarkStore, clock: WaymarkClock = WaymarkClock(), rag: RAGRule = RAGRule()) {
        self.store = store
        self.clock = clock
        self.rag = rag
        gate = AccessGate(records: store, clock: clock)
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
        let (organisation, scope) = try await gate.organisation(code: code, as: user)
        async let ancestors = store.ancestors(of: organisation, scope: scope)
        async let rollUp = store.rollUp(for: organisation, scope: scope)
        let projects = organisation.kind == .site
            ? try await store.projects(ProjectQuery(scope: scope, within: organisation, limit: 100, includeMilestones: false)).items : []
        return OrganisationView(organisation: organisation, ancestors: try await ancestors, rollUp: try await rollUp,
                                projects: projects)
    }

    /// The organisation with `code`, or the top of the actor's scope when `code` is nil.
    public func organisation(code: String?, as user: ActingUser) async throws -> Organisation {
        try await gate.organisation(code: code, as: user).0
    }

    /// The organisation's ancestors that the actor can see, national first.
    public func ancestors(of organisation: Organisation, as user: ActingUser) async throws -> [Organisation] {
        try await store.ancestors(of: organisation, scope: try await gate.authorise(.viewRecords, as: user))
    }

    public func organisations(_ query: OrganisationQuery, as user: ActingUser) async throws -> Page<Organisation> {
        var query = query
        query.scope = try await gate.authorise(.viewRecords, as: user)
        return try await store.organisations(query)
    }

    public func rollUp(code: String, as user: ActingUser) async throws -> RollUpReport {
        let (organisation, scope) = try await gate.organisation(code: code, as: user)
        return try await store.rollUp(for: organisation, scope: scope)
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
        query.scope = try await gate.authorise(activity, as: user)
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
        var (listing, scope) = try await gate.project(code: code, as: user)
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
        try await gate.project(code: code, as: user).0.project
    }

    public struct SearchResults: Sendable {
        public var organisations: [Organisation]
        public var projects: [ProjectListing]
    }

    public func search(_ text: String, as user: ActingUser, limit: Int = 20) async throws -> SearchResults {
        let scope = try await gate.authorise(.viewRecords, as: user)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return SearchResults(organisations: [], projects: []) }
        async let organisations = store.organisations(OrganisationQuery(scope: scope, text: text, limit: limit))
        async let projects = store.projects(ProjectQuery(scope: scope, text: text, limit: limit))
        return SearchResults(organisations: try await organisations.items, projects: try await projects.items)
    }

    // MARK: Writes

    /// Records forecast and actual dates for some of a project's milestones: in scope (404) and
    /// permitted (403), still at the version the sender read (412), dates readable and within the
    /// milestone rules (422), then saved and audited in one transaction.
    public func recordMilestoneDates(projectCode: String, _ command: RecordMilestoneDates,
                                     as user: ActingUser) async throws -> ImplementationProject {
        let current = try await gate.project(code: projectCode, for: .recordMilestones, as: user).0.project
        if let expectedVersion = command.expectedVersion, expectedVersion != current.version {
            throw ServiceError(.staleVersion, "Project \(current.code) has changed since you loaded it (version \(expectedVersion), now \(current.version)). Reload it and enter your dates again.")
        }
        let updated = try MilestoneRules.apply(try command.dates(over: current), to: current, today: clock.today)
        guard updated != current else { return current }
        try await GoLivePolicyService(gate: gate, store: store).check(from: current, to: updated)
        let audit = gate.auditRecord("record milestone dates", entityType: "project", entityID: current.id,
                                     before: Self.snapshot(current), after: Self.snapshot(updated), as: user)
        do {
            return try await store.saveMilestones(of: updated, expectedVersion: current.version, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "Project \(current.code) was changed by someone else while you saved. Reload it and enter your dates again.")
        }
    }

    /// The project with `code` if the actor may do `activity` to it (the gate's rule: 404, then 403).
    func scopedProject(code: String, for activity: Activity, as user: ActingUser) async throws -> ProjectListing {
        try await gate.project(code: code, for: activity, as: user).0
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
        let scope = try await gate.authorise(.viewAudit, as: user)
        guard scope == .national else {
            await gate.auditDenial("denied: viewAudit", entityType: "user", entityID: user.account?.id ?? 0, as: user)
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
