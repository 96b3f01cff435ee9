import WaymarkCore
import WaymarkService
import WaymarkStorage

/// A project's readiness surveys (issue 14): each survey's overall rating, version and sign-off.
struct SurveyListPage {
    var project: ProjectListing
    var responses: [SurveyKind: SurveyResponse]

    func render() -> HTML {
        let p = project.project
        let base = "/projects/\(urlEncoded(p.code))"
        let rows: [HTML] = SurveyKind.allCases.map { kind in
            let r = responses[kind]
            let state: String = r.map { $0.isSignedOff ? "Signed off (version \($0.version))" : "Version \($0.version), not signed off" } ?? "Not started"
            return """
                <tr><td><a href="\(base)/readiness/\(kind.rawValue)">\(kind.title)</a></td><td>Stage \(kind.stage.rawValue)</td>\
                <td>\(r?.overall.map { SurveyPage.badge($0) } ?? HTML("–"))</td><td>\(r?.openFindings.count ?? 0)</td><td>\(state)</td></tr>
                """
        }
        return Layout(title: "Readiness: \(p.code)", breadcrumbs: [(p.code, base)]).render("""
            <h1>Readiness: \(p.code)</h1>
            <p class="kind">\(project.organisationName) · \(p.productCode)</p>
            <p>The Organisational Readiness Assessment (stage 0, §4.4.1.1) and the baseline surveys (stage 2, §4.4.1.3). \
            Each question is rated ready, partly ready, not ready or not applicable; the overall rating is the worst given. \
            An open finding is rated below ready with no action and no risk or issue yet.</p>
            <div class="table-wrap"><table><caption>Surveys</caption>
            <thead><tr><th scope="col">Survey</th><th scope="col">Stage</th><th scope="col">Overall</th><th scope="col">Open findings</th><th scope="col">State</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <p><a href="\(base)/data-quality">Data quality and migration</a> · <a href="\(base)/readiness-reports">Operational Readiness Reports</a></p>
            """)
    }
}

/// One survey as a form: each question with its scale, a finding and one action; then the
/// sign-off, and a button to raise each finding below ready as a risk or an issue.
struct SurveyPage {
    var project: ProjectListing
    var response: SurveyResponse
    var csrfToken: String
    var canAnswer: Bool
    var canSignOff: Bool
    var canRaise: Bool
    var form = FormState()
    var notice: String?

    static func badge(_ rating: ReadinessRating) -> HTML {
        let tone = switch rating { case .ready: "green"; case .partlyReady: "amber"; case .notReady: "red"; case .notApplicable: "complete" }
        return "<span class=\"rag rag-\(tone)\">\(rating.title)</span>"
    }

    func render() -> HTML {
        let p = project.project
        let base = "/projects/\(urlEncoded(p.code))/readiness"
        let kind = response.kind
        let catalogue = SurveyCatalogue.version(response.catalogueVersion) ?? SurveyCatalogue.latest
        let questions = catalogue.questions(kind)
        var sections: [HTML] = []
        let names = questions.map(\.section).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for section in names {
            let fields: [HTML] = questions.filter { $0.section == section }.map(question)
            sections.append("<fieldset><legend>\(section)</legend>\(fields)</fieldset>")
        }
        let signed: HTML = response.isSignedOff
            ? "<p>Signed off by \(response.signedOffBy ?? "") at \(response.signedOffAt ?? ""), version \(response.version).</p>"
            : response.signedOffVersion.map { HTML("<p>Version \($0) was signed off; it has changed since, so it needs signing again.</p>") } ?? .empty
        let signOff: HTML = canSignOff && response.version > 0 && !response.isSignedOff ? """
            <form method="post" action="\(base)/\(kind.rawValue)/sign-off"><input type="hidden" name="csrf" value="\(csrfToken)">\
            <input type="hidden" name="version" value="\(response.version)"><p><button type="submit">Sign off version \(response.version)</button></p></form>
            """ : .empty
        return Layout(title: "\(kind.title): \(p.code)", breadcrumbs: [(p.code, "/projects/\(urlEncoded(p.code))"), ("Readiness", base)]).render("""
            <h1>\(kind.title)</h1>
            <p class="kind">\(p.code) · \(project.organisationName) · questions version \(catalogue.number)\
            \(response.overall.map { HTML(" · overall \(Self.badge($0))") } ?? .empty)</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)
            \(signed)
            \(canAnswer ? HTML("""
            <form class="stacked" method="post" action="\(base)/\(kind.rawValue)" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="version" value="\(response.version)">
            \(sections)
            <p><button type="submit">Save answers</button></p></form>
            """) : HTML(sections.isEmpty ? [] : [answersTable(questions)]))
            \(signOff)
            \(raiseForms(questions, base: "\(base)/\(kind.rawValue)"))
            \(canAnswer ? importForm("\(base)/\(kind.rawValue)") : .empty)
            """)
    }

    func question(_ q: SurveyQuestion) -> HTML {
        let answer = response.answer(q.id)
        let field = { (part: String) in SurveyRules.field(q.id, part) }
        let control: HTML
        switch q.scale {
        case .readiness:
            let chosen = form.value("survey", field("rating"), answer?.rating?.rawValue)
            let options: [HTML] = ReadinessRating.allCases.map { r in
                let id = "survey-\(field("rating"))-\(r.rawValue)"
                return "<span class=\"radio\"><input type=\"radio\" id=\"\(id)\" name=\"\(field("rating"))\" value=\"\(r.rawValue)\"\(r.rawValue == chosen ? HTML(" checked") : .empty)><label for=\"\(id)\">\(r.title)</label></span>"
            }
            let errors = form.failedForm == "survey" ? form.errors.filter { $0.field == field("rating") }.map(\.message) : []
            control = """
                <div class="question\(errors.isEmpty ? "" : " field-error")" id="survey-\(field("rating"))" role="radiogroup" aria-labelledby="q-\(q.id)">\
                <p id="q-\(q.id)"><strong>\(q.text)</strong></p>\
                \(errors.isEmpty ? HTML.empty : HTML("<span class=\"error-message\">\(errors.joined(separator: " "))</span>"))\(options)</div>
                """
        case .count:
            control = form.field("survey", field("count"), q.text, answer?.count.map(String.init), type: "number")
        }
        let action = answer?.actions.first
        let linked: HTML = answer?.trackingItemID.map { HTML("<p class=\"hint\">Raised as <a href=\"/tracking/\($0)\">record \($0)</a> in the project register.</p>") } ?? .empty
        return """
            \(control)
            \(form.field("survey", field("finding"), "Finding", answer?.finding, type: "textarea"))
            \(form.field("survey", field("action"), "Action", action?.text, hint: "What will be done about it"))
            \(form.field("survey", field("owner"), "Action owner", action?.owner))
            \(form.field("survey", field("due"), "Action due", action?.due.iso, hint: "YYYY-MM-DD"))
            \(linked)
            """
    }

    func importForm(_ action: String) -> HTML {
        """
        <section><h2>Import answers from CSV</h2>
        <p>Columns: question, rating, count, finding, action, owner, due. A question's further rows add actions. The file replaces the answers; nothing is saved if any row is wrong.</p>
        <form class="upload stacked" method="post" action="\(action)/import" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="version" value="\(response.version)">
        <label for="survey-import-file">CSV file</label><input id="survey-import-file" name="file" type="file" accept=".csv,text/csv">
        <p><button type="submit" class="secondary">Import</button></p></form></section>
        """
    }

    func answersTable(_ questions: [SurveyQuestion]) -> HTML {
        let rows: [HTML] = questions.compactMap { q in
            guard let a = response.answer(q.id) else { return nil }
            return "<tr><td>\(q.text)</td><td>\(a.rating.map { Self.badge($0) } ?? "\(a.count.map(String.init) ?? "–")")</td><td>\(a.finding)</td></tr>"
        }
        return """
            <div class="table-wrap"><table><caption>Answers</caption><thead><tr><th scope="col">Question</th><th scope="col">Answer</th>\
            <th scope="col">Finding</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    func raiseForms(_ questions: [SurveyQuestion], base: String) -> HTML {
        guard canRaise else { return .empty }
        let items: [HTML] = questions.compactMap { q in
            guard let a = response.answer(q.id), a.rating == .notReady || a.rating == .partlyReady, a.trackingItemID == nil else { return nil }
            return """
                <li>\(q.text) (\(a.rating!.title.lowercased()))
                <form class="inline" method="post" action="\(base)/raise"><input type="hidden" name="csrf" value="\(csrfToken)">\
                <input type="hidden" name="question" value="\(q.id)"><button type="submit" name="as" value="risk">Raise as a risk</button> \
                <button type="submit" name="as" value="issue" class="secondary">Raise as an issue</button></form></li>
                """
        }
        return items.isEmpty ? .empty : "<section><h2>Findings below ready</h2><ul>\(items)</ul></section>"
    }
}
