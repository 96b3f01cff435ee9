import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/go-live-policy`: the programme's Go Live policy and each cluster's, with the National
/// Programme Office's forms to change them.
struct GoLivePolicyPage {
    var view: GoLivePolicyService.PolicyView
    var csrfToken: String
    var notice: String?
    var error: String?

    func form(_ code: String, _ current: String, options: [(String, String)], label: String) -> HTML {
        let choices: [HTML] = options.map { value, title in "<option value=\"\(value)\"\(value == current ? HTML(" selected") : .empty)>\(title)</option>" }
        return """
            <form method="post" action="/go-live-policy" class="inline"><input type="hidden" name="csrf" value="\(csrfToken)">\
            <input type="hidden" name="organisation" value="\(code)"><label class="visually-hidden" for="policy-\(code)">\(label)</label>\
            <select id="policy-\(code)" name="policy">\(choices)</select> <button type="submit">Set<span class="visually-hidden"> \(label)</span></button></form>
            """
    }

    func render() -> HTML {
        let both = GoLivePolicy.allCases.map { ($0.rawValue, $0.title) }
        let rows: [HTML] = view.clusters.map { c in
            let control: HTML = view.canSet ? form(c.cluster.code, c.own ? c.policy.rawValue : "inherit",
                                                    options: [("inherit", "The programme's (\(view.national.title.lowercased()))")] + both,
                                                    label: "policy for \(c.cluster.name)") : .empty
            return "<tr><td><a href=\"/organisations/\(urlEncoded(c.cluster.code))\">\(c.cluster.name)</a></td><td>\(c.policy.title)</td><td>\(c.own ? "The cluster's own" : "The programme's")</td><td>\(control)</td></tr>"
        }
        let national: HTML = view.canSet ? form(nationalCode, view.national.rawValue, options: both, label: "the programme's policy") : .empty
        return Layout(title: "Go Live policy").render("""
            <h1>Go Live policy</h1>
            \(DocumentHTML.notice(notice, error: error))
            <p>Whether a milestone may be recorded as achieved before its gate has passed. Under <strong>warn</strong> it is recorded and the \
            project page warns that its stages disagree. Under <strong>require</strong> it is refused until the gate into its stage has passed, and \
            Go-Live Completed also needs a signed Operational Readiness Report, every Go Live Checklist signed off and the Clinical Safety Officer's \
            sign-off; or a Project Board override with its reason, which every roll-up then shows.</p>
            <p>The programme's policy: <strong>\(view.national.title)</strong> \(national)</p>
            <div class="table-wrap"><table><caption>Clusters</caption>
            <thead><tr><th scope="col">Cluster</th><th scope="col">Policy</th><th scope="col">Set by</th><th scope="col"><span class="visually-hidden">Change</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """)
    }

    var nationalCode: String { view.nationalCode }
}

/// The Go Live policy on the project page (with the Board's override form) and the overrides
/// on every organisation page that counts the projects.
enum GoLivePolicyPanels {
    static func project(_ view: ProgrammeService.ProjectView, service: GoLivePolicyService, user: ActingUser, csrfToken: String) async throws -> HTML {
        let project = view.project
        let policy = try await service.policy(for: project)
        let overrides = try await service.overrides(projectID: project.id)
        let list: [HTML] = overrides.map { o in
            "<li><strong>\(o.milestone.title)</strong>: overridden by \(o.decidedBy), \(DocumentHTML.time(o.decidedAt)). Reason: \(o.reason)\(o.gaps.isEmpty ? HTML.empty : HTML(" Missing then: \(o.gaps.joined(separator: "; ")).") )</li>"
        }
        let open = project.milestones.filter { $0.actual == nil && !overrides.map(\.milestone).contains($0.kind) }
        let form: HTML = user.role == .projectBoardMember && user.permits(.decideGates) && !open.isEmpty ? """
            <form method="post" action="/projects/\(urlEncoded(project.code))/milestone-overrides" class="stacked no-print">
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="override-milestone">Milestone</label><select id="override-milestone" name="milestone">\(open.map { HTML("<option value=\"\($0.kind.rawValue)\">\($0.kind.title)</option>") })</select></p>
            <p><label for="override-reason">Reason for the override</label><textarea id="override-reason" name="reason" rows="2"></textarea></p>
            <p><button type="submit" class="warning">Record a Project Board override</button></p></form>
            """ : .empty
        return """
            <section aria-labelledby="go-live-policy"><h2 id="go-live-policy">Go Live policy</h2>
            <p>Here the policy is <strong>\(policy.title.lowercased())</strong> (<a href="/go-live-policy">Go Live policy</a>).</p>
            \(list.isEmpty ? HTML.empty : HTML("<ul class=\"overrides\">\(list)</ul>"))\(form)</section>
            """
    }

    static func organisation(_ view: ProgrammeService.OrganisationView, service: GoLivePolicyService, user: ActingUser) async throws -> HTML {
        let overridden = try await service.overridden(organisation: view.organisation, as: user)
        let links: HTML = """
            <p>Going live soon: <a href="\(GoingLivePage.path(view.organisation.code))?days=30">next 30 days</a> · \
            <a href="\(GoingLivePage.path(view.organisation.code))?days=60">60 days</a> · <a href="\(GoingLivePage.path(view.organisation.code))?days=90">90 days</a>, \
            with each site's readiness.</p>
            """
        guard !overridden.isEmpty else { return links }
        let rows: [HTML] = overridden.map { code, o in
            "<tr><td><a href=\"\(Paths.project(code))\">\(code)</a></td><td>\(o.milestone.title)</td><td>\(o.decidedBy)</td><td>\(o.reason)</td></tr>"
        }
        return """
            \(links)
            <section aria-labelledby="overrides-heading"><h2 id="overrides-heading">Milestones achieved under a Project Board override</h2>
            <p>\(overridden.count) milestone\(overridden.count == 1 ? "" : "s") in these figures went ahead without the evidence the Go Live policy asks for.</p>
            <div class="table-wrap"><table><caption>Overrides, newest first</caption>
            <thead><tr><th scope="col">Project</th><th scope="col">Milestone</th><th scope="col">Decided by</th><th scope="col">Reason</th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            """
    }
}
