import Foundation
import WaymarkCore
import WaymarkStorage

/// The Go Live decision (issue 14, part 5). The National Programme Office sets the programme's
/// policy and any cluster's own (`.manageOrganisations` in national scope). Under `require`, a
/// milestone is recorded as achieved only once the gate into its stage has passed, and Go-Live
/// Completed only with a signed ORR, every Go Live Checklist signed off and the CSO's current
/// sign-off, unless the Project Board has recorded an override with a reason first.
/// See docs/design/readiness.md.
public struct GoLivePolicyService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.init(gate: programme.gate, store: programme.store)
    }

    init(gate: AccessGate, store: any WaymarkStore) {
        self.gate = gate
        self.store = store
    }

    static let entityType = "go_live_policy"

    public struct PolicyView: Sendable {
        public var nationalCode: String
        public var national: GoLivePolicy
        /// Every cluster with the policy that applies there and whether it is the cluster's own.
        public var clusters: [(cluster: Organisation, policy: GoLivePolicy, own: Bool)]
        public var canSet: Bool
    }

    public func policies(as user: ActingUser) async throws -> PolicyView {
        let scope = try await gate.authorise(.viewRecords, as: user)
        let set = try await store.goLivePolicies()
        let national = try await nationalOrganisation()
        let clusters = try await store.organisations(OrganisationQuery(scope: .national, kind: .cluster, limit: 500)).items
        let base = set[national.id] ?? .warn
        return PolicyView(nationalCode: national.code, national: base, clusters: clusters.map { ($0, set[$0.id] ?? base, set[$0.id] != nil) },
                          canSet: scope == .national && user.permits(.manageOrganisations))
    }

    /// Sets the programme's policy (the national organisation) or a cluster's; nil returns a
    /// cluster to the programme's.
    public func setPolicy(organisationCode: String, _ policy: GoLivePolicy?, as user: ActingUser) async throws -> GoLivePolicy {
        let scope = try await gate.authorise(.manageOrganisations, as: user)
        guard scope == .national else {
            throw ServiceError(.forbidden, "The National Programme Office sets the Go Live policy, for the programme and for each cluster.")
        }
        let (organisation, _) = try await gate.organisation(code: organisationCode, for: .manageOrganisations, as: user)
        guard organisation.kind == .national || organisation.kind == .cluster else {
            throw ValidationFailure([FieldError(field: "organisation", message: "The Go Live policy is set for the programme or for a cluster, not for \(organisation.kind.title.lowercased()) \(organisation.code).")])
        }
        guard policy != nil || organisation.kind == .cluster else {
            throw ValidationFailure([FieldError(field: "policy", message: "The programme's policy is warn or require.")])
        }
        try await store.setGoLivePolicy(policy, organisationID: organisation.id, audit: gate.auditRecord(
            "set go live policy", entityType: Self.entityType, entityID: organisation.id, after: policy?.rawValue ?? "programme's", as: user))
        if let policy { return policy }
        return try await store.goLivePolicies()[try await nationalOrganisation().id] ?? .warn
    }

    /// The policy that applies to a project: its cluster's own, else the programme's.
    public func policy(for project: ImplementationProject) async throws -> GoLivePolicy {
        let set = try await store.goLivePolicies()
        if let cluster = project.ancestry.clusterID, let own = set[cluster] { return own }
        return set[try await nationalOrganisation().id] ?? .warn
    }

    /// What the policy reads for the project now.
    public func evidence(for project: ImplementationProject) async throws -> GoLiveEvidence {
        let passed = Set(try await store.gateDecisions(projectID: project.id).map(\.stage))
        var signed: String?
        for record in try await store.readinessReports(projectID: project.id) where record.signedBy != nil {
            if let (report, intact) = try? ReadinessReportService.decode(record), intact { signed = report.reference; break }
        }
        let lists = try await store.goLiveChecklists(projectID: project.id)
        let hazards = try await store.hazards(projectID: project.id)
        let signOff = try await store.latestSafetySignOff(projectID: project.id)
        return GoLiveEvidence(passedGates: passed, signedReport: signed, checklists: (lists.count, lists.count(where: \.isComplete)),
                              safetySignedOff: signOff?.logHash == GateService.logHash(hazards) && signOff != nil)
    }

    /// Refuses newly achieved milestones the policy does not allow yet; called by the one
    /// milestone write before it saves.
    func check(from current: ImplementationProject, to updated: ImplementationProject) async throws {
        let achieved = updated.milestones.filter { m in m.actual != nil && current.milestone(m.kind)?.actual == nil }.map(\.kind)
        guard !achieved.isEmpty, try await policy(for: updated) == .require else { return }
        let evidence = try await evidence(for: updated)
        let overridden = Set(try await store.milestoneOverrides(projectID: updated.id).map(\.milestone))
        var errors: [FieldError] = []
        for kind in achieved where !overridden.contains(kind) {
            let gaps = GoLivePolicyRules.gaps(recording: kind, evidence)
            if !gaps.isEmpty {
                errors.append(FieldError(field: MilestoneRules.field("actual", kind), message: "The Go Live policy here is require: \(kind.title) cannot be recorded yet because "
                    + gaps.joined(separator: "; ") + ". Supply the evidence, or ask the Project Board to record an override with its reason."))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// The Project Board lets `milestone` be recorded without what the policy asks, saying why.
    public func override(projectCode: String, milestone: MilestoneKind, reason: String, as user: ActingUser) async throws -> MilestoneOverride {
        let project = try await gate.project(code: projectCode, for: .decideGates, as: user).0.project
        if let refusal = GoLivePolicyRules.overrideRefusal(reason: reason, role: user.role) {
            throw refusal.field.map { ValidationFailure([FieldError(field: $0, message: refusal.message)]) as any Error } ?? ServiceError(.forbidden, refusal.message)
        }
        guard project.milestone(milestone) != nil else {
            throw ValidationFailure([FieldError(field: "milestone", message: "\(project.type.title) projects do not carry the \(milestone.title) milestone.")])
        }
        let gaps = GoLivePolicyRules.gaps(recording: milestone, try await evidence(for: project))
        let override = MilestoneOverride(projectID: project.id, milestone: milestone, reason: reason.trimmedWhitespace, decidedBy: user.name,
                                         decidedAt: gate.clock.timestamp, gaps: gaps)
        do {
            try await store.saveMilestoneOverride(override, audit: gate.auditRecord(
                "override go live policy", entityType: "project", entityID: project.id,
                after: "\(milestone.rawValue): \(override.reason) (missing: \(gaps.isEmpty ? "nothing" : gaps.joined(separator: "; ")))", as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "The Project Board has already recorded an override for \(milestone.title) on \(project.code).")
        }
        return override
    }

    public func overrides(projectID: Int64) async throws -> [MilestoneOverride] { try await store.milestoneOverrides(projectID: projectID) }

    /// Milestones achieved under an override within an organisation, for its roll-up.
    public func overridden(organisation: Organisation, as user: ActingUser) async throws -> [(projectCode: String, override: MilestoneOverride)] {
        let scope = try await gate.authorise(.viewRecords, as: user)
        return try await store.overriddenMilestones(within: organisation, scope: scope, limit: 50)
    }

    func nationalOrganisation() async throws -> Organisation {
        guard let national = try await store.organisations(OrganisationQuery(scope: .national, kind: .national, limit: 1)).items.first else {
            throw ServiceError(.notFound, "The programme has no national organisation.")
        }
        return national
    }
}
