import Foundation
import WaymarkCore
import WaymarkStorage

/// The Operational Readiness Report (issue 14, §4.4.1.4). Generating one (`.recordReadiness`)
/// reads the project's live data and stores it as an immutable, hashed snapshot. The Project
/// Board signs a report (`.decideGates`, Board role) only while its inputs still read the same;
/// otherwise the refusal lists what changed. See docs/design/readiness.md.
public struct ReadinessReportService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore
    let plans: PlanService

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
        plans = PlanService(programme: programme)
    }

    static let entityType = "readiness_report"
    /// Critical tasks listed by name; the rest are counted.
    static let pathTasksShown = 20

    public struct ReportView: Sendable {
        public var listing: ProjectListing
        public var report: ReadinessReport
        /// The stored snapshot still hashes to the recorded hash.
        public var intact: Bool
        public var concerns: [String]
        /// What differs from the live data now (empty: nothing).
        public var changes: [String]
        public var canSign: Bool
    }

    /// The project's reports, newest first.
    public func reports(projectCode: String, as user: ActingUser) async throws -> (ProjectListing, [ReadinessReport], canGenerate: Bool) {
        let listing = try await gate.project(code: projectCode, as: user).0
        let reports = try await store.readinessReports(projectID: listing.project.id).compactMap { try? Self.decode($0).0 }
        return (listing, reports, user.permits(.recordReadiness))
    }

    /// Reads the live data and stores it as the project's next report.
    public func generate(projectCode: String, as user: ActingUser) async throws -> ReadinessReport {
        let listing = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0
        let inputs = try await self.inputs(listing, as: user)
        let (text, hash) = ReadinessSnapshot(projectCode: listing.project.code, generatedBy: user.name, generatedAt: gate.clock.timestamp,
                                             inputs: inputs).encoded()
        let saved = try await store.saveReadinessReport(ReadinessReportRecord(projectID: listing.project.id, snapshot: text, hash: hash),
                                                        audit: gate.auditRecord("generate readiness report", entityType: Self.entityType,
                                                                                entityID: 0, after: "sha256:\(hash)", as: user))
        return try Self.decode(saved).0
    }

    /// One report, checked against its hash and compared with the live data.
    public func report(projectCode: String, number: Int, as user: ActingUser) async throws -> ReportView {
        let listing = try await gate.project(code: projectCode, as: user).0
        let (report, intact) = try await stored(listing, number)
        let changes = ReadinessReportRules.changes(from: report.inputs, to: try await inputs(listing, as: user))
        return ReportView(listing: listing, report: report, intact: intact, concerns: ReadinessReportRules.concerns(report.inputs),
                          changes: changes, canSign: !report.isSigned && user.permits(.decideGates) && user.role == .projectBoardMember)
    }

    /// The Project Board's signature on a report whose inputs have not changed.
    /// `expectedHash`, when given, must be the report's (the API's If-Match).
    public func sign(projectCode: String, number: Int, expectedHash: String? = nil, as user: ActingUser) async throws -> ReadinessReport {
        let listing = try await gate.project(code: projectCode, for: .decideGates, as: user).0
        var (report, intact) = try await stored(listing, number)
        guard user.role == .projectBoardMember else {
            throw ServiceError(.forbidden, "Only the Project Board signs off the Operational Readiness Report; your role (\(user.role?.title ?? "none")) cannot.")
        }
        if let expectedHash, expectedHash != report.hash {
            throw ServiceError.stale("\(report.reference) has the hash \(report.hash), not the one in If-Match. Read the report again.")
        }
        guard intact else {
            throw ServiceError(.refused, "\(report.reference) no longer matches the hash it was generated with, so it cannot be signed. Generate a new report.")
        }
        guard !report.isSigned else {
            throw ServiceError(.conflict, "\(report.reference) was signed by \(report.signedBy ?? "?") on \(report.signedAt ?? "?").")
        }
        let changes = ReadinessReportRules.changes(from: report.inputs, to: try await inputs(listing, as: user))
        guard changes.isEmpty else {
            throw ServiceError(.conflict, "The data behind \(report.reference) changed after it was generated, so it no longer says how ready the site is: "
                + changes.joined(separator: "; ") + ". Generate a new report and sign that.")
        }
        let at = gate.clock.timestamp
        do {
            try await store.signReadinessReport(id: report.id, hash: report.hash, by: user.name, at: at, audit: gate.auditRecord(
                "sign readiness report", entityType: Self.entityType, entityID: report.id, after: "\(report.reference) sha256:\(report.hash)", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.conflict, "\(report.reference) was signed meanwhile. Reload it.")
        }
        report.signedBy = user.name
        report.signedAt = at
        return report
    }

    /// The readiness records a gate accepts in place of the ORR and checklist documents.
    func evidence(projectID: Int64) async throws -> ReadinessEvidence {
        ReadinessEvidence(signedReport: try await latestSigned(projectID: projectID),
                          checklists: try await GoLiveChecklistService(gate: gate, store: store).evidence(projectID: projectID))
    }

    /// The newest report the Board has signed, for a project already read in scope.
    func latestSigned(projectID: Int64) async throws -> ReadinessReport? {
        for record in try await store.readinessReports(projectID: projectID) where record.signedBy != nil {
            if let (report, intact) = try? Self.decode(record), intact { return report }
        }
        return nil
    }

    func stored(_ listing: ProjectListing, _ number: Int) async throws -> (ReadinessReport, Bool) {
        guard let record = try await store.readinessReport(projectID: listing.project.id, number: number) else {
            throw ServiceError(.notFound, "\(listing.project.code) has no Operational Readiness Report ORR-\(number).")
        }
        return try Self.decode(record)
    }

    static func decode(_ record: ReadinessReportRecord) throws -> (ReadinessReport, Bool) {
        let snapshot = try ReadinessSnapshot.decode(record.snapshot)
        let report = ReadinessReport(id: record.id, projectID: record.projectID, number: record.number, inputs: snapshot.inputs,
                                     generatedBy: snapshot.generatedBy, generatedAt: snapshot.generatedAt, hash: record.hash,
                                     signedBy: record.signedBy, signedAt: record.signedAt)
        return (report, ReadinessSnapshot.hash(Data(record.snapshot.utf8)) == record.hash)
    }

    // MARK: - The live data

    /// Everything the report reads, as of now, for a project the caller may see.
    func inputs(_ listing: ProjectListing, as user: ActingUser) async throws -> ReadinessInputs {
        let project = listing.project
        let responses = Dictionary(uniqueKeysWithValues: try await store.surveyResponses(projectID: project.id).map { ($0.kind, $0) })
        let surveys = SurveyKind.allCases.map { kind -> ReadinessInputs.Survey in
            guard let response = responses[kind] else {
                return ReadinessInputs.Survey(kind: kind, overall: nil, version: 0, signedOff: false, openFindings: [])
            }
            let catalogue = SurveyCatalogue.version(response.catalogueVersion) ?? SurveyCatalogue.latest
            return ReadinessInputs.Survey(kind: kind, overall: response.overall, version: response.version, signedOff: response.isSignedOff,
                                          openFindings: response.openFindings.map { catalogue.question(kind, id: $0.questionID)?.text ?? $0.questionID })
        }
        let (register, serious) = try await registerCounts(project)
        let hazards = try await store.hazards(projectID: project.id)
        let signOff = try await store.latestSafetySignOff(projectID: project.id)
        let safety = ReadinessInputs.Safety(
            openHazards: hazards.count { $0.status == .open }, blocking: hazards.filter(\.blocksGoLive).map(\.reference),
            signedBy: signOff?.signedBy, signedAt: signOff?.signedAt, signOffCurrent: signOff?.logHash == GateService.logHash(hazards))
        let checks = try await store.dataQualityChecks(projectID: project.id).map {
            ReadinessInputs.DataQualityPoint(checkedOn: $0.checkedOn, records: $0.counts.records, validPerMille: $0.counts.validPerMille,
                                             duplicates: $0.counts.duplicates)
        }
        let loads = try await store.migrationLoads(projectID: project.id)
        let migration = loads.isEmpty ? nil : ReadinessInputs.Migration(
            loads: loads.count, migrated: loads.reduce(0) { $0 + $1.migrated }, verified: loads.reduce(0) { $0 + $1.verified },
            rejected: loads.reduce(0) { $0 + $1.rejected })
        let goLive = project.milestone(.goLiveCompleted)
        // Registration and training of the staff at the project's site (issue 15).
        let site = try await store.organisation(id: project.organisationID, scope: .national)
        let training = try await site.asyncFlatMap { try await store.peopleFunnel(within: $0, scope: .national).summary }
        return ReadinessInputs(projectCode: project.code, productCode: project.productCode, siteName: listing.organisationName, goLiveForecast: goLive?.forecast ?? goLive?.baseline,
                               surveys: surveys, register: register, serious: serious, safety: safety, dataQuality: checks,
                               migration: migration, criticalPath: try await criticalPath(project.code, as: user), training: training)
    }

    func registerCounts(_ project: ImplementationProject) async throws -> ([ReadinessInputs.RegisterCount], [ReadinessInputs.RegisterItem]) {
        guard let organisation = try await store.organisation(id: project.organisationID, scope: .national) else { return ([], []) }
        let owner = RegisterOwner.project(project, heldBy: organisation)
        var counts: [TrackingKind: [RiskPriority: Int]] = [:]
        var serious: [ReadinessInputs.RegisterItem] = []
        var after: Int64?
        repeat {
            let page = try await store.trackingItems(TrackingQuery(scope: .national, register: owner, status: .open, after: after, limit: 500))
            for item in page.items {
                let priority = item.current.priority
                counts[item.kind, default: [:]][priority, default: 0] += 1
                if priority <= .significant {
                    serious.append(ReadinessInputs.RegisterItem(reference: item.reference, title: item.title, priority: priority))
                }
            }
            after = page.nextCursor
        } while after != nil
        let lines = TrackingKind.allCases.flatMap { kind in
            RiskPriority.allCases.compactMap { p in counts[kind]?[p].map { ReadinessInputs.RegisterCount(kind: kind, priority: p, open: $0) } }
        }
        return (lines, serious.sorted { ($0.priority, $0.reference) < ($1.priority, $1.reference) })
    }

    func criticalPath(_ code: String, as user: ActingUser) async throws -> ReadinessInputs.CriticalPath {
        let view = try await plans.planView(code: code, as: user)
        guard let plan = view.stored?.plan else {
            return ReadinessInputs.CriticalPath(problem: "No plan has been loaded, so there is no critical path to go-live.", goLive: nil, tasks: [], more: 0)
        }
        guard let schedule = view.schedule else {
            return ReadinessInputs.CriticalPath(problem: "The plan cannot be scheduled: \(view.scheduleProblem ?? "unknown problem")", goLive: nil, tasks: [], more: 0)
        }
        let goLiveTask = plan.tasks.first { $0.nsiMilestone == .goLiveCompleted }
        let goLive = goLiveTask.flatMap { schedule[taskID: $0.id]?.earlyFinish } ?? schedule.finish
        let names = Dictionary(plan.tasks.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let path = schedule.criticalPath.compactMap { schedule[taskID: $0] }.filter { !$0.isSummary && $0.earlyFinish <= goLive }
        let tasks = path.prefix(Self.pathTasksShown).map {
            ReadinessInputs.PathTask(id: $0.id, name: names[$0.id] ?? "Task \($0.id)", start: $0.earlyStart, finish: $0.earlyFinish)
        }
        return ReadinessInputs.CriticalPath(problem: nil, goLive: goLive, tasks: Array(tasks), more: max(0, path.count - tasks.count))
    }
}
