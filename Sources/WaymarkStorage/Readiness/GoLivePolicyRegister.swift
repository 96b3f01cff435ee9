import WaymarkCore

/// The Go Live policy (national, and per cluster) and the Project Board's milestone overrides
/// (issue 14). Each write is audited in its transaction.
public protocol GoLivePolicyRegister: Sendable {
    /// Policies by organisation: the national organisation's is the programme's; a cluster's
    /// replaces it for the cluster.
    func goLivePolicies() async throws -> [Int64: GoLivePolicy]
    /// Sets (or, with nil, clears) an organisation's policy.
    func setGoLivePolicy(_ policy: GoLivePolicy?, organisationID: Int64, audit: AuditRecord) async throws
    func milestoneOverrides(projectID: Int64) async throws -> [MilestoneOverride]
    /// `.duplicate` if the milestone has an override already.
    func saveMilestoneOverride(_ override: MilestoneOverride, audit: AuditRecord) async throws
    /// Achieved milestones recorded under an override, within `organisation`, in `scope`, newest first.
    func overriddenMilestones(within organisation: Organisation, scope: AccessScope, limit: Int) async throws -> [(projectCode: String, override: MilestoneOverride)]
}
