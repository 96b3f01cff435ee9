import WaymarkCore
import WaymarkService

/// What document control shows on the project and organisation pages: the next gate, the
/// project's timeline of gates and milestones, and "N of M" counts for a subtree.
enum DocumentPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: GateService, user: ActingUser) async throws -> HTML {
        let code = view.project.code
        let gates = try await service.gateView(projectCode: code, as: user)
        let next: HTML = gates.next.map { check in
            "<p>Next: the gate out of stage \(check.stage.title): \(check.passes ? "every check met" : "\(check.missing.count) of \(check.requirements.count) checks not met"). <a href=\"\(DocumentHTML.gates(code))\">Open the gate</a></p>"
        } ?? "<p>Every stage gate has been decided.</p>"
        // The timeline: achieved milestones and gate decisions, in date order.
        var events: [(at: String, html: HTML)] = view.project.milestones.compactMap { m in
            m.actual.map { ($0.iso, "<li>\($0.iso): \(m.kind.title) achieved</li>") }
        }
        events += gates.decisions.map { d in
            (String(d.decidedAt.prefix(10)), "<li>\(String(d.decidedAt.prefix(10))): gate out of stage \(d.stage.title) \(d.outcome.title.lowercased()) by \(d.decidedBy)\(d.reason.map { HTML(" (\($0))") } ?? .empty)</li>")
        }
        let timeline: [HTML] = events.sorted { $0.at < $1.at }.map(\.html)
        return """
            <section aria-labelledby="documents-gates"><h2 id="documents-gates">Documents and stage gates</h2>
            \(next)
            <p><a href="\(DocumentHTML.documents(code))">NSI products and documents</a> · <a href="\(DocumentHTML.gates(code))">Stage gates</a> · <a href="\(DocumentHTML.hazards(code))">Clinical hazard log</a></p>
            <h3>Timeline</h3>\(timeline.isEmpty ? HTML("<p>Nothing achieved or decided yet.</p>") : HTML("<ol class=\"timeline\">\(timeline)</ol>"))
            </section>
            """
    }

    static func organisation(_ view: ProgrammeService.OrganisationView, service: GateService, user: ActingUser) async throws -> HTML {
        let organisation = view.organisation
        let (_, rollUp) = try await service.rollUp(organisationCode: organisation.code, as: user)
        let cards: [HTML] = ["PID", "ORR", "DV-CERTIFICATE"].compactMap { code in
            NSIProductCatalogue.anyProduct(code: code).map { product in
                "<div class=\"card\"><span class=\"value\">\(rollUp.signedOff[code] ?? 0) of \(rollUp.projects)</span><span class=\"label\">projects with an approved \(product.name)</span></div>"
            }
        }
        return """
            <section aria-labelledby="gates-rollup"><h2 id="gates-rollup">Stage gates and signed products</h2>
            <div class="cards">\(cards)</div>
            <p><a href="\(DocumentHTML.gateRollUp(organisation))">Stage gates passed, by gate</a></p></section>
            """
    }
}
