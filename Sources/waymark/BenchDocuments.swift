import ArgumentParser
import WaymarkCore
import WaymarkService
import WaymarkStorage

extension Bench {
    /// Documents at England scale: a gate decision with its evidence recorded on 500
    /// projects, then the "N of M have passed each gate / have a signed PID" roll-ups for the
    /// nation and a cluster, each beside the same three counts run raw.
    func benchDocuments(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        let projects = try await store.projects(ProjectQuery(scope: .national, type: .lsp, limit: 500, includeMilestones: false)).items
        for listing in projects {
            _ = try await store.recordGateDecision(GateDecision(
                owner: .project(listing.project), stage: .prepare, outcome: .passed, decidedBy: "bench", role: .projectBoardMember,
                reason: nil, decidedAt: "2026-12-01T12:00:00Z", evidence: [], gaps: []),
                audit: AuditRecord(at: "2026-12-01T12:00:00Z", actor: "bench", origin: "bench", action: "stage gate passed",
                                   entityType: "project", entityID: listing.project.id, before: nil, after: nil))
        }
        let gates = GateService(programme: ProgrammeService(store: store))
        let user = ActingUser.commandLine(origin: "bench")
        for code in ["national", "CNW"] {
            guard let organisation = code == "national" ? try await store.national() : try await store.organisation(code: code, scope: .national)
            else { throw ValidationError("The seeded data has no \(code).") }
            let condition = organisation.kind == .national ? "" : " WHERE cluster_id = \(organisation.id)"
            let timed = try await median(iterations) { _ = try await gates.rollUp(organisationCode: organisation.code, as: user) }
            let rawTime = try await median(iterations) {
                try await raw.fetch("SELECT COUNT(*) FROM project" + condition, [])
                try await raw.fetch("SELECT stage, outcome, COUNT(*) FROM gate_decision\(condition) GROUP BY stage, outcome", [])
                try await raw.fetch("SELECT product_code, COUNT(*) FROM project_document" + (condition.isEmpty ? " WHERE" : condition + " AND")
                                    + " signed_off_version IS NOT NULL GROUP BY product_code", [])
            }
            report.add(name, "stage gate roll-up, \(organisation.kind == .national ? "national" : code) (median)", timed, rawTime, goal: nil, pass: nil)
        }
    }
}
