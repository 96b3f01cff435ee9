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

    // MARK: Reads

    public struct OrganisationView: Sendable {
        public var organisation: Organisation
        public var ancestors: [Organisation]
        public var rollUp: RollUpReport
        /// The projects held at a site (empty for larger organisations, whose lists are paged).
        public var projects: [ProjectListing]
    }

    public func organisationView(code: String?, as user: ActingUser) async throws -> OrganisationView {
        let organisation = try await organisation(code: code, as: user)
        async let ancestors = store.ancestors(of: organisation)
        async let rollUp = store.rollUp(for: organisation)
        let projects = organisation.kind == .site
            ? try await store.projects(ProjectQuery(within: organisation, limit: 100, includeMilestones: false)).items : []
        return OrganisationView(organisation: organisation, ancestors: try await ancestors, rollUp: try await rollUp,
                                projects: projects)
    }

    /// The organisation with `code`, or the national programme when `code` is nil.
    public func organisation(code: String?, as user: ActingUser) async throws -> Organisation {
        guard let code else {
            guard let national = try await store.national() else {
                throw ServiceError(.notFound, "The database holds no programme yet; run `waymark seed --demo`.")
            }
            return national
        }
        guard let organisation = try await store.organisation(code: code) else { throw ServiceError.unknownOrganisation(code) }
        return organisation
    }

    public func ancestors(of organisation: Organisation, as user: ActingUser) async throws -> [Organisation] {
        try await store.ancestors(of: organisation)
    }

    public func organisations(_ query: OrganisationQuery, as user: ActingUser) async throws -> Page<Organisation> {
        try await store.organisations(query)
    }

    public func projects(_ query: ProjectQuery, as user: ActingUser) async throws -> Page<ProjectListing> {
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
        public var project: ImplementationProject { listing.project }
    }

    public func projectView(code: String, as user: ActingUser) async throws -> ProjectView {
        let listing = try await projectListing(code: code)
        guard let organisation = try await store.organisation(id: listing.project.organisationID) else {
            throw ServiceError.unknownProject(code)
        }
        let ancestors = try await store.ancestors(of: organisation)
        let related = try await store.projects(ProjectQuery(
            organisationIDs: [organisation.id] + ancestors.map(\.id), limit: 200)).items
            .filter { $0.project.id != listing.project.id }
        let today = clock.today
        let (status, reason) = rag.status(of: listing.project.milestones, today: today)
        let history = try await store.auditEntries(entityType: "project", entityID: listing.project.id, limit: 20)
        return ProjectView(
            listing: listing, organisation: organisation, ancestors: ancestors, status: status, statusReason: reason,
            sequenceWarnings: SequenceRules.warnings(for: listing.project.plannedGoLive, among: related.map(\.project.plannedGoLive)),
            history: history, today: today, calendar: rag.calendar)
    }

    /// Statuses for a page of projects, in order, reading the date once (a calendar lookup per
    /// row showed in profiles).
    public func statuses(of listings: [ProjectListing]) -> [RAGStatus] {
        let today = clock.today
        return listings.map { rag.status(of: $0.ragBasis, today: today) }
    }

    /// The project with its milestones, without the page's extras (ancestors, history, warnings).
    public func project(code: String, as user: ActingUser) async throws -> ImplementationProject {
        try await projectListing(code: code).project
    }

    public struct SearchResults: Sendable {
        public var organisations: [Organisation]
        public var projects: [ProjectListing]
    }

    public func search(_ text: String, as user: ActingUser, limit: Int = 20) async throws -> SearchResults {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return SearchResults(organisations: [], projects: []) }
        async let organisations = store.organisations(OrganisationQuery(text: text, limit: limit))
        async let projects = store.projects(ProjectQuery(text: text, limit: limit))
        return SearchResults(organisations: try await organisations.items, projects: try await projects.items)
    }

    // MARK: Writes

    /// Records forecast and actual dates for some of a project's milestones. Checked by the
    /// milestone rules, saved only if the project is still at `expectedVersion` (when given),
    /// and audited in the same transaction.
    public func recordMilestoneDates(projectCode: String, dates: [MilestoneKind: MilestoneDates],
                                     expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        try await record(dates, on: try await projectListing(code: projectCode).project, expectedVersion: expectedVersion, as: user)
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
        let current = try await projectListing(code: projectCode).project
        guard let milestone = current.milestone(kind) else {
            throw ValidationFailure([FieldError(
                field: MilestoneRules.field("milestone", kind),
                message: "\(current.type.title) projects do not carry the \(kind.title) milestone.")])
        }
        let dates = MilestoneDates(forecast: forecast ?? milestone.forecast, actual: actual ?? milestone.actual)
        return try await record([kind: dates], on: current, expectedVersion: expectedVersion, as: user)
    }

    private func projectListing(code: String) async throws -> ProjectListing {
        guard let listing = try await store.project(code: code) else { throw ServiceError.unknownProject(code) }
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
