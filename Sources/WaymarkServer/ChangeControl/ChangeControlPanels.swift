import WaymarkCore
import WaymarkService

/// What change control shows on the project and organisation pages: one indexed query each.
enum ChangeControlPanels {
    /// The project's baseline history: which approved CCN moved which milestone, and when.
    static func project(_ view: ProgrammeService.ProjectView, service: ChangeControlService, user: ActingUser) async throws -> HTML {
        let history = try await service.baselineHistory(of: view)
        let rows: [HTML] = history.map { change in
            """
            <tr><td>\(change.kind.title)</td><td>\(change.from?.iso ?? "none")</td><td>\(change.to.iso)</td>\
            <td class="code"><a href="\(ChangeControlHTML.note(change.ccnID))">\(change.ccnReference)</a></td><td>\(change.changedOn.iso)</td></tr>
            """
        }
        return """
            <section aria-labelledby="baseline-history"><h2 id="baseline-history">Baseline history</h2>
            \(rows.isEmpty ? HTML("<p>No Change Control Note has moved this project's baselines.</p>") : HTML("""
            <table><caption>Baselines moved by approved Change Control Notes, most recent first</caption>
            <thead><tr><th>Milestone</th><th>From</th><th>To</th><th>CCN</th><th>Approved</th></tr></thead><tbody>\(rows)</tbody></table>
            """))
            </section>
            """
    }

    /// On a cluster, its notes by state and links to its board and DIP performance; elsewhere,
    /// the links to the notes and DIP obligations that touch the organisation.
    static func organisation(_ view: ProgrammeService.OrganisationView, service: ChangeControlService, user: ActingUser) async throws -> HTML {
        let organisation = view.organisation
        let links: HTML = """
            <p><a href="\(ChangeControlHTML.changes(organisation))">Change Control Notes</a>\
            \(organisation.kind == .cluster ? HTML(" · <a href=\"\(ChangeControlHTML.board(organisation.code))\">Change Review Board</a>") : .empty)\
             · <a href="\(ChangeControlHTML.performance(organisation))">DIP performance</a></p>
            """
        guard organisation.kind == .cluster else {
            return "<section aria-labelledby=\"change-control\"><h2 id=\"change-control\">Change control and the DIP</h2>\(links)</section>"
        }
        let counts = try await service.counts(within: organisation, as: user)
        let open = [ChangeState.raised, .underAssessment, .atBoard, .deferred].reduce(0) { $0 + (counts[$1] ?? 0) }
        return """
            <section aria-labelledby="change-control"><h2 id="change-control">Change control and the DIP</h2>
            <div class="cards">
              <div class="card"><span class="value">\(open)</span><span class="label">Open Change Control Notes</span></div>
              <div class="card"><span class="value">\(counts[.atBoard] ?? 0)</span><span class="label">At the Change Review Board</span></div>
              <div class="card"><span class="value">\((counts[.approved] ?? 0) + (counts[.implemented] ?? 0))</span><span class="label">Approved</span></div>
            </div>
            \(links)
            </section>
            """
    }
}
