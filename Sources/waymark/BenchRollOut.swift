import Foundation
import WaymarkCore
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// A roll-out to every site of England that has no PACS project yet (about 10,000 sites and
    /// 60,000 milestones, issue 13): the service's apply (plan, checks, one audited batch) beside
    /// the same project and milestone rows inserted raw; then the template's deviation report
    /// beside its one query run raw.
    func benchRollOut(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        let service = RollOutService(programme: ProgrammeService(store: store, clock: .fixed(today)))
        let user = ActingUser.commandLine(origin: "bench")
        let offsets = ["initiation-commenced": "0", "initiation-completed": "20", "local-design-completed": "60",
                       "preparation-for-go-live-completed": "100", "go-live-completed": "120", "implementation-completed": "160"]
        let template = try await service.saveTemplate(TemplateInput(code: "PACS-ENGLAND", name: "PACS everywhere", product: "PACS", offsets: offsets), as: user)
        let request = RollOutRequest(template: template.code, within: "NPO", waves: [RollOutWave(start: today.adding(days: 7), perWeek: 250)])
        let preview = try await service.preview(request, as: user)
        print("[\(name)] rolling PACS out to \(preview.projects.count.formatted()) sites ...")

        // Raw: the same rows, under ids far above any real project, then removed again.
        let sites = try await store.organisationsByCode()
        var nextID: Int64 = 50_000_000
        let rows: [ImplementationProject] = preview.projects.compactMap { planned in
            guard let site = sites[planned.siteCode] else { return nil }
            defer { nextID += 1 }
            return .new(id: nextID, organisation: site, productCode: "PACS", type: .lsp, supplierID: planned.supplierID,
                        baselines: template.baselines(from: planned.start, calendar: .england))
        }
        let (statements, _) = SQLStore.statements(loading: SQLStore.projectTables(rows))
        let rawSeconds = try await time { try await raw.write(statements) }
        try await raw.write([SQLStatement("DELETE FROM milestone WHERE project_id >= 50000000"), SQLStatement("DELETE FROM project WHERE id >= 50000000")])

        let seconds = try await time { _ = try await service.apply(request, expectedFingerprint: preview.fingerprint, as: user) }
        let goal = name == "sqlite" ? 10.0 : 20.0
        report.add(name, "roll out to \(preview.projects.count.formatted()) sites (\((preview.projects.count * 6).formatted()) milestones) in one batch",
                   seconds, rawSeconds, goal: "<= \(Int(goal)) s", pass: seconds <= goal)

        // Move a hundred baselines, as approved CCNs would, so the report has rows to find.
        try await raw.write([SQLStatement("""
            UPDATE milestone SET baseline = baseline + 5 WHERE kind = 'go-live-completed'
            AND project_id IN (SELECT project_id FROM project_template ORDER BY project_id LIMIT 100)
            """)])
        var found = 0
        let deviations = try await time { found = try await service.deviations(templateCode: template.code, as: user).1.moved.count }
        precondition(found == 100, "expected 100 moved baselines, found \(found)")
        let rawDeviations = try await time {
            for statement in SQLStore.deviationStatements(templateCode: template.code) { _ = try await raw.fetch(statement.sql, statement.binds) }
        }
        report.add(name, "deviation report for a template used by \(preview.projects.count.formatted()) projects", deviations, rawDeviations,
                   goal: "<= 200 ms", pass: deviations <= 0.2)
    }
}
