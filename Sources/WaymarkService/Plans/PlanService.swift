import Foundation
import WaymarkCore
import WaymarkInterchange
import WaymarkStorage

/// Project plans: import and export (MS Project XML, Primavera XER, CSV), the critical path,
/// baselines and variance, and the check against the project's NSI milestones. Authorisation
/// goes through `AccessGate`, like every other record.
public struct PlanService: Sendable {
    /// Project lists and milestone feeds come from the programme service.
    public let programme: ProgrammeService
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any PlanRepository & OrganisationRepository & ProjectRepository & AuditRepository

    public init(programme: ProgrammeService) {
        self.programme = programme
        gate = programme.gate
        store = programme.store
    }

    public struct PlanView: Sendable {
        public var listing: ProjectListing
        public var stored: StoredPlan?
        public var schedule: Schedule?
        /// Why the plan could not be scheduled (a loop, an impossible link), if it could not.
        public var scheduleProblem: String?
        public var baselines: [PlanBaseline]
        public var findings: [PlanFinding]
        /// Other projects' tasks this plan depends on, with their dates.
        public var external: [TaskReference: ExternalTaskDates]
        /// Links to other projects that could not be resolved (no plan, or not visible).
        public var unresolved: [String]
        /// Projects whose plans depend on this one.
        public var dependents: [String]
        public var canEdit: Bool
        public var today: Day
    }

    public func planView(code: String, as user: ActingUser) async throws -> PlanView {
        let listing = try await gate.project(code: code, for: .viewRecords, as: user).0
        let stored = try await store.plan(projectID: listing.project.id)
        var view = PlanView(listing: listing, stored: stored, schedule: nil, scheduleProblem: nil,
                            baselines: try await store.baselines(projectID: listing.project.id), findings: [], external: [:],
                            unresolved: [], dependents: try await store.dependentProjectCodes(of: listing.project.code),
                            canEdit: user.permits(.editPlans), today: gate.clock.today)
        guard var plan = stored?.plan else { return view }
        plan = try await withOrganisationCalendar(plan, of: listing.project)
        view.stored?.plan = plan
        (view.external, view.unresolved) = try await externalDates(for: plan, as: user)
        plan.dependencies.removeAll { $0.predecessor.projectCode != nil && view.external[$0.predecessor] == nil }
        do {
            let schedule = try Scheduler.schedule(plan, external: view.external)
            view.schedule = schedule
            view.findings = PlanChecks.nsiDiff(project: listing.project, plan: plan, finishes: Self.finishes(schedule),
                                               calendar: plan.calendar.working)
        } catch {
            view.scheduleProblem = String(describing: error)
        }
        return view
    }

    /// The plan with the calendar exceptions of the project's organisation and every
    /// organisation above it (a trust's go-live weekend, an SHA's shutdown days).
    func withOrganisationCalendar(_ plan: ProjectPlan, of project: ImplementationProject) async throws -> ProjectPlan {
        let exceptions = try await store.calendarExceptions(organisationIDs: [project.organisationID] + project.ancestry.ids)
        guard !exceptions.isEmpty else { return plan }
        var plan = plan
        for exception in exceptions {
            if exception.working {
                plan.calendar.extraWorkingDays.insert(exception.day)
                plan.calendar.extraHolidays.remove(exception.day)
            } else {
                plan.calendar.extraHolidays.insert(exception.day)
                plan.calendar.extraWorkingDays.remove(exception.day)
            }
        }
        plan.calendar.name += " with \(exceptions.count) local exception\(exceptions.count == 1 ? "" : "s")"
        return plan
    }

    /// The organisation if the actor may set its calendar: 404 out of scope, then 403.
    @discardableResult
    public func checkCalendarEditable(organisationCode: String, as user: ActingUser) async throws -> Organisation {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        _ = try await gate.authorise(.editPlans, as: user)
        return organisation
    }

    /// Records a day an organisation does (or does not) work; it applies to every plan below it.
    public func setCalendarException(organisationCode: String, day: Day, working: Bool, note: String,
                                     as user: ActingUser) async throws {
        let organisation = try await checkCalendarEditable(organisationCode: organisationCode, as: user)
        guard organisation.kind != .supplier else {
            throw ServiceError(.refused, "Calendar exceptions belong to NHS organisations; a supplier's plans follow the organisation they deliver to.")
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(text.count) else { throw ServiceError(.refused, "Say why (up to 200 characters), e.g. \"go-live weekend\".") }
        try await store.saveCalendarException(
            CalendarException(organisationID: organisation.id, day: day, working: working, note: text),
            audit: gate.auditRecord("set calendar exception", entityType: "organisation", entityID: organisation.id,
                                    after: "{\"day\":\"\(day.iso)\",\"note\":\(Self.json(text)),\"working\":\(working)}", as: user))
    }

    static func finishes(_ schedule: Schedule) -> [Int: Day] {
        Dictionary(schedule.tasks.map { ($0.id, $0.earlyFinish) }, uniquingKeysWith: { first, _ in first })
    }

    /// Dates of the other projects' tasks this plan links to, scheduled from their own plans
    /// (one level: their own outside links are not followed). Projects the actor cannot see are
    /// left unresolved, never read.
    func externalDates(for plan: ProjectPlan, as user: ActingUser) async throws -> ([TaskReference: ExternalTaskDates], [String]) {
        var dates: [TaskReference: ExternalTaskDates] = [:]
        var unresolved: [String] = []
        let codes = Set(plan.dependencies.compactMap(\.predecessor.projectCode))
        for code in codes.sorted() {
            guard let other = try? await gate.project(code: code, for: .viewRecords, as: user).0,
                  let stored = try await store.plan(projectID: other.project.id)?.plan else {
                unresolved.append(code)
                continue
            }
            var otherPlan = try await withOrganisationCalendar(stored, of: other.project)
            otherPlan.dependencies.removeAll { $0.predecessor.projectCode != nil }
            guard let schedule = try? Scheduler.schedule(otherPlan) else {
                unresolved.append(code)
                continue
            }
            // The schedule's own export keeps milestones' dates right for their successors.
            for (reference, value) in schedule.externalDates() {
                dates[TaskReference(projectCode: code, taskID: reference.taskID)] = value
            }
        }
        return (dates, unresolved)
    }

    public struct ImportOutcome: Sendable {
        public var tasks: Int
        public var dependencies: Int
        /// What the file held that Waymark does not carry.
        public var notes: [ImportNote]
        public var findings: [PlanFinding]
        public var version: Int
    }

    /// Replaces the project's plan with the file's, all or nothing: a missing or stale version, a
    /// file that cannot be read, or a plan that cannot be scheduled (a loop, a link to a missing
    /// task) changes nothing.
    public func importPlan(code: String, data: Data, format: PlanFormat, expectedVersion: Int?,
                           as user: ActingUser) async throws -> ImportOutcome {
        let listing = try await gate.project(code: code, for: .editPlans, as: user).0
        // Replacing a plan must say which version it replaces; the first import has none to name.
        let current = try await store.plan(projectID: listing.project.id)
        if let current, expectedVersion == nil {
            throw ServiceError.versionRequired("\(listing.project.code) already has a plan (version \(current.version)); say which version this file replaces (If-Match, or reload the page).")
        }
        if let expectedVersion, expectedVersion != current?.version {
            throw ServiceError(.staleVersion, "The plan of \(listing.project.code) has changed since you loaded it (version \(expectedVersion), now \(current?.version ?? 0)).")
        }
        let imported: ImportedPlan
        do {
            imported = try PlanReader.read(data, format: format, projectCode: listing.project.code)
        } catch {
            throw ServiceError(.refused, "The \(format.title) file could not be imported: \(Self.sentence(error)) Nothing was changed.")
        }
        var plan = imported.plan
        plan.projectCode = listing.project.code
        let scheduled = try await withOrganisationCalendar(plan, of: listing.project)
        let (external, unresolved) = try await externalDates(for: plan, as: user)
        if let code = unresolved.first {
            throw ServiceError(.refused, "The plan links to tasks of project \(code), which has no plan you can see. Nothing was changed.")
        }
        let schedule: Schedule
        do {
            schedule = try Scheduler.schedule(scheduled, external: external)
        } catch {
            throw ServiceError(.refused, "The plan cannot be scheduled: \(Self.sentence(error)) Nothing was changed.")
        }
        let audit = gate.auditRecord("import plan", entityType: "project", entityID: listing.project.id,
                                     before: current.map { Self.summary($0.plan, source: nil) } ?? "{}",
                                     after: Self.summary(plan, source: format.rawValue), as: user)
        let version: Int
        do {
            version = try await store.savePlan(plan, projectID: listing.project.id, expectedVersion: current?.version, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "Someone else changed the plan of \(listing.project.code) while you imported. Import again.")
        }
        let baselines = imported.baselines.filter { !$0.tasks.isEmpty }
        for baseline in baselines {
            try? await store.saveBaseline(baseline, projectID: listing.project.id, audit: gate.auditRecord(
                "import baseline", entityType: "project", entityID: listing.project.id,
                after: "{\"baseline\":\(Self.json(baseline.name))}", as: user))
        }
        return ImportOutcome(tasks: plan.tasks.count, dependencies: plan.dependencies.count, notes: imported.report,
                             findings: PlanChecks.nsiDiff(project: listing.project, plan: plan, finishes: Self.finishes(schedule),
                                                          calendar: plan.calendar.working),
                             version: version)
    }

    /// Checks the actor may change the project's plan (404 out of scope, 403 without the
    /// permission) before a form is even read.
    /// The version of the project's stored plan; nil before its first import.
    public func planVersion(code: String, as user: ActingUser) async throws -> Int? {
        let listing = try await gate.project(code: code, as: user).0
        return try await store.plan(projectID: listing.project.id)?.version
    }

    public func checkEditable(code: String, as user: ActingUser) async throws {
        _ = try await gate.project(code: code, for: .editPlans, as: user).0
    }

    /// Saves the current schedule's dates as a named baseline.
    public func saveBaseline(code: String, name rawName: String, as user: ActingUser) async throws {
        // The view reads the project in scope (404 otherwise); the role is checked next (403).
        let view = try await planView(code: code, as: user)
        _ = try await gate.authorise(.editPlans, as: user)
        let listing = view.listing
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(name.count) else { throw ServiceError(.refused, "Name the baseline (up to 80 characters).") }
        guard let schedule = view.schedule, let plan = view.stored?.plan else {
            throw ServiceError(.refused, view.scheduleProblem.map { "The plan cannot be scheduled: \($0)" } ?? "The project has no plan to baseline yet.")
        }
        let durations = Dictionary(plan.tasks.map { ($0.id, $0.duration) }, uniquingKeysWith: { first, _ in first })
        let baseline = PlanBaseline(name: name, savedAt: gate.clock.timestamp, tasks: Dictionary(schedule.tasks.map {
            ($0.id, BaselineDates(start: $0.earlyStart, finish: $0.earlyFinish, duration: durations[$0.id] ?? 0))
        }, uniquingKeysWith: { first, _ in first }))
        do {
            try await store.saveBaseline(baseline, projectID: listing.project.id, audit: gate.auditRecord(
                "save baseline", entityType: "project", entityID: listing.project.id,
                after: "{\"baseline\":\(Self.json(name)),\"tasks\":\(baseline.tasks.count)}", as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "\(listing.project.code) already has a baseline called '\(name)'. Choose another name.")
        }
    }

    /// The plan in `format`, with its scheduled dates and (for MS Project XML) its baselines.
    public func exportPlan(code: String, format: PlanFormat, as user: ActingUser) async throws -> Data {
        let view = try await planView(code: code, as: user)
        _ = try await gate.authorise(.exportRecords, as: user)
        // A project with no plan yet exports an empty one, so integrations need no special case.
        let plan = view.stored?.plan ?? ProjectPlan(projectCode: view.listing.project.code, start: view.today)
        let dates = Dictionary((view.schedule?.tasks ?? []).map { ($0.id, TaskDates(start: $0.earlyStart, finish: $0.earlyFinish)) },
                               uniquingKeysWith: { first, _ in first })
        return PlanWriter.write(plan, format: format, taskDates: dates, baselines: view.baselines)
    }

    /// An error's description as a sentence ending in one full stop.
    static func sentence(_ error: any Error) -> String {
        var text = String(describing: error).trimmingCharacters(in: .whitespaces)
        while text.hasSuffix(".") { text.removeLast() }
        return text + "."
    }

    static func summary(_ plan: ProjectPlan, source: String?) -> String {
        "{\"dependencies\":\(plan.dependencies.count),\"source\":\(json(source ?? "stored")),\"start\":\"\(plan.start.iso)\",\"tasks\":\(plan.tasks.count)}"
    }

    static func json(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

extension PlanService {
    /// The plans in an organisation's subtree, side by side, with the links between them.
    public struct ProgrammePlans: Sendable {
        public struct Entry: Sendable {
            public var listing: ProjectListing
            public var plan: ProjectPlan
            public var schedule: Schedule
        }
        public var organisation: Organisation
        public var entries: [Entry]
        /// Plans that could not be scheduled, with the reason.
        public var problems: [(code: String, reason: String)]
        public var today: Day
        public var truncated: Bool
        /// Calendar exceptions that apply here: set at this organisation or above it.
        public var exceptions: [CalendarException]
        public var canEdit: Bool
    }

    public func programmePlans(organisationCode: String?, limit: Int = 40, as user: ActingUser) async throws -> ProgrammePlans {
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        var query = ProjectQuery(within: organisation.kind == .national ? nil : organisation, limit: limit + 1, includeMilestones: false)
        query.withPlan = true
        let listings = try await programme.projects(query, as: user).items
        var entries: [ProgrammePlans.Entry] = []
        var problems: [(String, String)] = []
        for listing in listings.prefix(limit) {
            guard let stored = try await store.plan(projectID: listing.project.id)?.plan else { continue }
            var plan = try await withOrganisationCalendar(stored, of: listing.project)
            let (external, _) = try await externalDates(for: plan, as: user)
            plan.dependencies.removeAll { $0.predecessor.projectCode != nil && external[$0.predecessor] == nil }
            do {
                entries.append(.init(listing: listing, plan: plan, schedule: try Scheduler.schedule(plan, external: external)))
            } catch {
                problems.append((listing.project.code, String(describing: error)))
            }
        }
        let exceptions = try await store.calendarExceptions(organisationIDs: [organisation.id] + organisation.ancestry.ids)
        return ProgrammePlans(organisation: organisation, entries: entries, problems: problems, today: gate.clock.today,
                              truncated: listings.count > limit, exceptions: exceptions,
                              canEdit: user.permits(.editPlans) && organisation.kind != .supplier)
    }
}
