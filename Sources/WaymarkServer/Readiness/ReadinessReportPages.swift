import WaymarkCore
import WaymarkService
import WaymarkStorage

enum ReadinessPaths {
    static func reports(_ code: String) -> String { "/projects/\(urlEncoded(code))/readiness-reports" }
    static func report(_ code: String, _ number: Int) -> String { reports(code) + "/\(number)" }
    static func checklists(_ code: String) -> String { "/projects/\(urlEncoded(code))/go-live-checklists" }
    static func checklist(_ code: String, _ template: String) -> String { checklists(code) + "/\(urlEncoded(template))" }
}

/// A project's Operational Readiness Reports, newest first, and the button that generates one.
struct ReadinessReportListPage {
    var project: ProjectListing
    var reports: [ReadinessReport]
    var canGenerate: Bool
    var csrfToken: String

    func render() -> HTML {
        let code = project.project.code
        let rows: [HTML] = reports.map { r in
            """
            <tr><td><a href="\(ReadinessPaths.report(code, r.number))">\(r.reference)</a></td><td>\(DocumentHTML.time(r.generatedAt))</td>\
            <td>\(r.generatedBy)</td><td>\(ReadinessReportRules.concerns(r.inputs).count)</td>\
            <td>\(r.signedBy.map { HTML("Signed by \($0), \(DocumentHTML.time(r.signedAt ?? ""))") } ?? HTML("Not signed"))</td></tr>
            """
        }
        let generate: HTML = canGenerate ? """
            <form method="post" action="\(ReadinessPaths.reports(code))" class="no-print">
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <p><button type="submit">Generate a report from today's data</button></p></form>
            """ : .empty
        return Layout(title: "Operational Readiness Reports: \(code)", breadcrumbs: [(code, Paths.project(code))]).render("""
            <h1>Operational Readiness Reports: \(code)</h1>
            <p class="kind">\(project.organisationName) · \(project.project.productCode)</p>
            <p>Each report reads the project's surveys, registers, hazard log, data-quality checks and plan as they stand when it is \
            generated, and keeps them unchanged with a SHA-256 hash. The Project Board signs one off before Go Live (§4.4.1.4); \
            the signed report is the evidence for the ORR at the Go Live gate.</p>
            \(generate)
            \(reports.isEmpty ? HTML("<p>No report has been generated yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Reports, newest first</caption>
                <thead><tr><th scope="col">Report</th><th scope="col">Generated</th><th scope="col">By</th><th scope="col">Concerns</th><th scope="col">Sign-off</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """))
            <p class="no-print"><a href="/projects/\(urlEncoded(code))/readiness">Readiness surveys</a> · \
            <a href="\(ReadinessPaths.checklists(code))">Go Live Checklists</a> · <a href="/projects/\(urlEncoded(code))/gates">Stage gates</a></p>
            """)
    }
}

/// One report as a printable page: the snapshot's sections, the concerns it raises, whether
/// the live data has moved on since, and the Board's sign-off.
struct ReadinessReportPage {
    var view: ReadinessReportService.ReportView
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let r = view.report, i = r.inputs, code = view.listing.project.code
        return Layout(title: "\(r.reference): \(code)", breadcrumbs: [(code, Paths.project(code)), ("Readiness reports", ReadinessPaths.reports(code))]).render("""
            <h1>Operational Readiness Report \(r.reference)</h1>
            <p class="kind">\(code) · \(i.siteName) · \(i.productCode)</p>
            \(DocumentHTML.notice(notice, error: error))
            <dl class="facts"><dt>Generated</dt><dd>\(DocumentHTML.time(r.generatedAt)) by \(r.generatedBy)</dd>
            <dt>Go-Live Completed forecast</dt><dd>\(i.goLiveForecast?.iso ?? "none")</dd>
            <dt>SHA-256</dt><dd><span class="code">\(r.hash)</span> \(view.intact ? HTML("(matches the stored snapshot)") : HTML("<strong>does not match the stored snapshot</strong>"))</dd>
            <dt>Project Board sign-off</dt><dd>\(r.signedBy.map { HTML("\($0), \(DocumentHTML.time(r.signedAt ?? ""))") } ?? HTML("Not signed"))</dd></dl>
            \(changes)
            <section aria-labelledby="concerns"><h2 id="concerns">Concerns</h2>\(concerns)</section>
            \(surveys)\(register)\(safety)\(dataQuality)\(criticalPath)
            <section aria-labelledby="training"><h2 id="training">Registration and training</h2>
            <p>\(i.training ?? "Waymark does not yet hold registration and training records for this project.")</p></section>
            \(signForm)
            """)
    }

    var changes: HTML {
        guard !view.changes.isEmpty else {
            return r.isSigned ? .empty : "<p class=\"notice success\" role=\"status\">The live data still reads as this report does.</p>"
        }
        let items: [HTML] = view.changes.map { "<li>\($0)</li>" }
        return """
            <section class="changes" aria-labelledby="changed"><h2 id="changed">Changed since this report was generated</h2>
            <p>The data behind the report has moved on\(r.isSigned ? "" : ", so it cannot be signed; generate a new one"):</p><ul>\(items)</ul></section>
            """
    }

    var r: ReadinessReport { view.report }

    var concerns: HTML {
        view.concerns.isEmpty ? "<p>None: nothing in the data stands in the way of Go Live.</p>"
            : HTML("<ul class=\"concerns\">\(view.concerns.map { HTML("<li>\($0)</li>") })</ul>")
    }

    var surveys: HTML {
        let rows: [HTML] = r.inputs.surveys.map { s in
            let findings: HTML = s.openFindings.isEmpty ? "0" : HTML("\(s.openFindings.count)<ul>\(s.openFindings.map { HTML("<li>\($0)</li>") })</ul>")
            return "<tr><td>\(s.kind.title)</td><td>\(s.overall.map { SurveyPage.badge($0) } ?? HTML("Not answered"))</td><td>\(s.version == 0 ? "–" : String(s.version))</td><td>\(s.signedOff ? "Yes" : "No")</td><td>\(findings)</td></tr>"
        }
        return """
            <section aria-labelledby="surveys"><h2 id="surveys">Surveys</h2><div class="table-wrap"><table><caption>Ratings and open findings</caption>
            <thead><tr><th scope="col">Survey</th><th scope="col">Overall</th><th scope="col">Version</th><th scope="col">Signed off</th><th scope="col">Open findings</th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            """
    }

    var register: HTML {
        let rows: [HTML] = RiskPriority.allCases.map { p in
            "<tr><td>\(p.title)</td><td>\(r.inputs.open(.risk, p))</td><td>\(r.inputs.open(.issue, p))</td></tr>"
        }
        let serious: HTML = r.inputs.serious.isEmpty ? .empty
            : HTML("<ul>\(r.inputs.serious.map { HTML("<li>\($0.reference) \($0.title) (\($0.priority.title.lowercased()))</li>") })</ul>")
        return """
            <section aria-labelledby="register"><h2 id="register">Open risks and issues</h2><div class="table-wrap"><table><caption>By current priority</caption>
            <thead><tr><th scope="col">Priority</th><th scope="col">Risks</th><th scope="col">Issues</th></tr></thead><tbody>\(rows)</tbody></table></div>\(serious)</section>
            """
    }

    var safety: HTML {
        let s = r.inputs.safety
        let signed: HTML = s.signedBy.map { HTML("Signed by \($0) on \(s.signedAt ?? "?")\(s.signOffCurrent ? "; it covers the hazard log as it was." : "; the hazard log changed after it was signed.")") }
            ?? "The Clinical Safety Officer has not signed the safety case."
        return """
            <section aria-labelledby="safety"><h2 id="safety">Clinical safety</h2>
            <p>\(s.openHazards) open hazard\(s.openHazards == 1 ? "" : "s"); above an acceptable residual rating: \(s.blocking.isEmpty ? "none" : s.blocking.joined(separator: ", ")). \(signed)</p></section>
            """
    }

    var dataQuality: HTML {
        let rows: [HTML] = r.inputs.dataQuality.map { p in
            "<tr><td>\(p.checkedOn.iso)</td><td>\(p.records)</td><td>\(ReadinessReportRules.percent(p.validPerMille))</td><td>\(p.duplicates)</td></tr>"
        }
        let migration: HTML = r.inputs.migration.map { m in
            HTML("<p>Migration: \(m.loads) load\(m.loads == 1 ? "" : "s"), \(m.migrated) records migrated, \(m.verified) verified, \(m.rejected) rejected.</p>")
        } ?? "<p>No migration load has been recorded.</p>"
        return """
            <section aria-labelledby="dq"><h2 id="dq">Data quality and migration</h2>
            \(rows.isEmpty ? HTML("<p>No data-quality check has been recorded.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Data-quality checks, oldest first</caption>
                <thead><tr><th scope="col">Checked</th><th scope="col">Records</th><th scope="col">Valid NHS Numbers</th><th scope="col">Duplicates</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """))\(migration)</section>
            """
    }

    var criticalPath: HTML {
        let c = r.inputs.criticalPath
        let rows: [HTML] = c.tasks.map { "<tr><td>\($0.id)</td><td>\($0.name)</td><td>\($0.start.iso)</td><td>\($0.finish.iso)</td></tr>" }
        let body: HTML = c.problem.map { HTML("<p>\($0)</p>") } ?? HTML("""
            <p>The plan reaches go-live on \(c.goLive?.iso ?? "?"). Critical tasks up to then\(c.more > 0 ? HTML(" (the first \(c.tasks.count); \(c.more) more)") : .empty):</p>
            <div class="table-wrap"><table><caption>Critical path to go-live</caption>
            <thead><tr><th scope="col">Task</th><th scope="col">Name</th><th scope="col">Start</th><th scope="col">Finish</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """)
        return "<section aria-labelledby=\"path\"><h2 id=\"path\">Plan</h2>\(body)</section>"
    }

    var signForm: HTML {
        guard view.canSign else { return .empty }
        return """
            <form method="post" action="\(ReadinessPaths.report(view.listing.project.code, r.number))/sign-off" class="no-print">
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <p><button type="submit">Sign off \(r.reference) for the Project Board</button></p></form>
            """
    }
}
