import ArgumentParser
import WaymarkCore
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// Documents at England scale: gate decisions recorded through the store (each with its
    /// audit entry) on 3,000 projects, zero to three gates each, then the "N of M have passed
    /// each gate / have a signed PID" roll-ups for the nation and a cluster, each beside the
    /// same three counts run raw.
    func benchDocuments(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        var projects: [ImplementationProject] = []
        var after: Int64?
        while projects.count < 3000 {
            let page = try await store.projects(ProjectQuery(scope: .national, type: .lsp, after: after, limit: 500, includeMilestones: false))
            projects += page.items.map(\.project)
            guard let next = page.nextCursor else { break }
            after = next
        }
        let progress = ProgressBar("[\(name)] gate decisions")
        for (index, project) in projects.enumerated() {
            for stage in NSIStage.allCases.prefix(index % 4) {
                _ = try await store.recordGateDecision(GateDecision(
                    owner: .project(project), stage: stage, outcome: index % 10 == 0 ? .overridden : .passed, decidedBy: "bench",
                    role: .projectBoardMember, reason: nil, decidedAt: "2026-12-01T12:00:00Z", evidence: [], gaps: []),
                    audit: AuditRecord(at: "2026-12-01T12:00:00Z", actor: "bench", origin: "bench", action: "stage gate passed",
                                       entityType: "project", entityID: project.id, before: nil, after: nil))
            }
            progress.update(index + 1, projects.count)
        }
        progress.finish()
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
