import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/organisations/CODE/people`: the registration and training funnel here, by the level below,
/// each RA's lead times and, at a trust or site, its RA kit. The funnel is an SVG chart with
/// its numbers as a table.
struct PeopleReadinessPage {
    var overview: PeopleReadinessService.Overview
    var equipment: RAEquipment?
    var canRecordEquipment: Bool
    var canSeeStaff: Bool
    var nextGoLive: Day?
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let o = overview, code = o.organisation.code
        let children: [HTML] = o.children.map { c in
            let f = c.funnel
            return """
                <tr><th scope="row"><a href="\(PeoplePaths.readiness(c.organisation.code))">\(c.organisation.name)</a></th><td>\(f.needing)</td><td>\(f.registered)</td>\
                <td>\(f.cardIssued)</td><td>\(f.trained)</td><td>\(f.proficient)</td><td>\(f.granted)</td><td>\(f.overridden)</td><td>\(f.refresherDue)</td></tr>
                """
        }
        let leads: [HTML] = o.leadTimes.map { "<tr><th scope=\"row\">\($0.ra.name)</th><td>\($0.median)</td><td>\($0.p90)</td><td>\($0.count)</td></tr>" }
        let links: [HTML] = [HTML("<a href=\"\(PeoplePaths.forecast(code))\">Sites that will not be ready</a>"),
                             HTML("<a href=\"\(PeoplePaths.sessions(code))\">Training sessions</a>"),
                             HTML("<a href=\"/api/v1/organisations/\(urlEncoded(code))/people\">The same figures as JSON</a>")]
            + (canSeeStaff ? [HTML("<a href=\"\(PeoplePaths.staff(code))\">Staff records</a>")] : [])
        return Layout(title: "People readiness: \(o.organisation.name)", breadcrumbs: [(o.organisation.name, "/organisations/\(urlEncoded(code))")]).render("""
            <h1>Registration and training: \(o.organisation.name)</h1>
            <p class="kind">\(o.organisation.kind.title)\(nextGoLive.map { HTML(" · next Go-Live baseline \($0.iso)") } ?? .empty)</p>
            \(DocumentHTML.notice(notice, error: error))
            <p>Staff need registering by the local RA and training before go-live, and access goes only to people who have shown proficiency \
            (§4.5.2). Each person is counted once, at their main site.</p>
            \(PeopleFunnelChart(funnel: o.funnel, id: "funnel", goLive: nextGoLive).render())
            <p>\(o.funnel.summary)</p>
            <p>\(links.joined(separator: " · "))</p>
            \(children.isEmpty ? HTML.empty : HTML("""
                <h2>By \(o.organisation.kind.childKind?.title.lowercased() ?? "organisation")</h2>
                <div class="table-wrap"><table><caption>The funnel one level down</caption>
                <thead><tr><th scope="col">Organisation</th><th scope="col">Need access</th><th scope="col">Registered</th><th scope="col">Smartcard</th>\
                <th scope="col">Trained</th><th scope="col">Proficient</th><th scope="col">Granted</th><th scope="col">By override</th><th scope="col">Refresher due</th></tr></thead>
                <tbody>\(children)</tbody></table></div>
                """))
            <h2>Registration lead times</h2>
            \(leads.isEmpty ? HTML("<p>No registration here has reached access yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Days from application to access, per RA</caption>
                <thead><tr><th scope="col">RA</th><th scope="col">Median</th><th scope="col">90th percentile</th><th scope="col">Registrations</th></tr></thead>
                <tbody>\(leads)</tbody></table></div>
                """))
            \(equipmentSection)
            """)
    }

    /// RA hardware kits and Identity Agent installs (§4.4.1.3), at a trust or site.
    var equipmentSection: HTML {
        guard [.trust, .site].contains(overview.organisation.kind) else { return .empty }
        let e = equipment
        let shown: HTML = e.map { HTML("<p>\($0.kits) RA kit\($0.kits == 1 ? "" : "s") and \($0.identityAgents) Identity Agent install\($0.identityAgents == 1 ? "" : "s").</p>") }
            ?? "<p>No RA kit has been recorded here.</p>"
        let form: HTML = canRecordEquipment ? """
            <form method="post" action="\(PeoplePaths.equipment(overview.organisation.code))" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">\
            <input type="hidden" name="version" value="\(e.map { String($0.version) } ?? "")">
            <p><label for="kits">RA hardware kits</label><input type="number" id="kits" name="kits" min="0" max="10000" value="\(e?.kits ?? 0)"></p>
            <p><label for="identityAgents">Identity Agent installs</label><input type="number" id="identityAgents" name="identityAgents" min="0" max="100000" value="\(e?.identityAgents ?? 0)"></p>
            <p><button type="submit">Save kit counts</button></p></form>
            """ : .empty
        return "<h2>RA kit</h2>\(shown)\(form)"
    }
}

/// The funnel as horizontal bars, each step's count against those needing access.
struct PeopleFunnelChart {
    var funnel: PeopleFunnel
    var id: String
    var goLive: Day?

    func render() -> HTML {
        let steps = funnel.steps
        let top = max(1, steps.map(\.count).max() ?? 1)
        let width = 560.0, label = 150.0, row = 34.0
        var shapes: [HTML] = []
        for (i, step) in steps.enumerated() {
            let y = Double(i) * row + 8
            let w = (width - label - 70) * Double(step.count) / Double(top)
            shapes.append("<text x=\"0\" y=\"\(y + 18, places: 1)\">\(step.title)</text>")
            shapes.append("<rect x=\"\(label, places: 1)\" y=\"\(y, places: 1)\" width=\"\(max(w, 1), places: 1)\" height=\"24\" fill=\"#005eb8\"><title>\(step.title): \(step.count)</title></rect>")
            shapes.append("<text x=\"\(label + max(w, 1) + 6, places: 1)\" y=\"\(y + 18, places: 1)\">\(step.count)</text>")
        }
        let summary = steps.map { "\($0.title.lowercased()) \($0.count)" }.joined(separator: ", ")
        let rows: [HTML] = steps.map { step in
            let share = funnel.needing == 0 ? "–" : "\(step.count * 100 / funnel.needing)%"
            return "<tr><th scope=\"row\">\(step.title)</th><td>\(step.count)</td><td>\(share)</td></tr>"
        }
        return """
            <div class="chart-wrap"><svg class="chart" viewBox="0 0 \(width, places: 0) \(Double(steps.count) * row + 12, places: 0)" role="img" aria-labelledby="\(id)-title">\
            <title id="\(id)-title">Registration and training funnel\(goLive.map { HTML(" against the Go-Live baseline of \($0.iso)") } ?? .empty): \(summary).</title>\(shapes)</svg></div>
            <div class="table-wrap"><table><caption>Registration and training funnel</caption>
            <thead><tr><th scope="col">Step</th><th scope="col">People</th><th scope="col">Of those needing access</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }
}

/// `/organisations/CODE/people/forecast`: at the last four weeks' pace, which sites will not have
/// enough proficient, registered users by their Go-Live baseline.
struct PeopleForecastPage {
    var organisation: Organisation
    var outcomes: [PeopleForecast.Outcome]
    var today: Day
    static let shown = 300

    func render() -> HTML {
        let short = outcomes.filter { !$0.willBeReady }
        let rows: [HTML] = outcomes.prefix(Self.shown).map { o in
            let state: HTML = o.willBeReady ? "<span class=\"rag rag-green\">On track</span>" : HTML("<span class=\"rag rag-red\">Short by \(o.shortfall)</span>")
            return """
                <tr><th scope="row">\(o.site.siteName)</th><td>\(o.site.projectCodes.map { HTML("<a href=\"\(Paths.project($0))\">\($0)</a>") }.joined(separator: ", "))</td>\
                <td>\(o.site.goLiveBaseline.iso)</td><td>\(o.site.needing)</td><td>\(o.site.ready)</td><td>\(o.site.recent)</td><td>\(o.forecast)</td><td>\(o.site.target)</td><td>\(state)</td></tr>
                """
        }
        return Layout(title: "People forecast: \(organisation.name)", breadcrumbs: [(organisation.name, "/organisations/\(urlEncoded(organisation.code))"),
                                                                                   ("Registration and training", PeoplePaths.readiness(organisation.code))]).render("""
            <h1>Sites that will not be ready</h1>
            <p class="kind">\(organisation.name) · as of \(today.iso)</p>
            <p>For each site with a Go-Live baseline still to come: the people who became both registered and proficient in the last \
            \(PeopleForecast.paceDays) days set the pace, and the forecast is where that pace reaches by the baseline. Enough is \
            \(PeopleForecast.targetPercent)% of the staff who need access.</p>
            <p><strong>\(short.count) of \(outcomes.count) site\(outcomes.count == 1 ? "" : "s") will not be ready at the current pace.</strong></p>
            \(rows.isEmpty ? HTML("<p>No site here has a Go-Live baseline to come.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Sites, those that will not be ready first</caption>
                <thead><tr><th scope="col">Site</th><th scope="col">Projects</th><th scope="col">Go-Live baseline</th><th scope="col">Need access</th>\
                <th scope="col">Ready now</th><th scope="col">Ready in last 4 weeks</th><th scope="col">Forecast</th><th scope="col">Needed</th><th scope="col">Outlook</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """))\(outcomes.count > Self.shown ? HTML("<p>The first \(Self.shown) of \(outcomes.count) are shown; the API has them all.</p>") : .empty)
            """)
    }
}
