import WaymarkCore
import WaymarkService

/// The hazard form's fields, read the same way for raising and editing.
enum HazardForm {
    static func draft(from fields: [String: String]) -> HazardService.Draft {
        var errors: [FieldError] = []
        func rating<T: RawRepresentable>(_ name: String, _ type: T.Type, _ what: String) -> T? where T.RawValue == Int {
            guard let text = fields[name], !text.isEmpty else { return nil }
            guard let value = Int(text).flatMap(T.init(rawValue:)) else {
                errors.append(FieldError(field: name, message: "Choose the \(what) from the list (1 to 5)."))
                return nil
            }
            return value
        }
        let status = fields["status"].flatMap(HazardStatus.init(rawValue:)) ?? .open
        var controls: [HazardControl] = []
        for i in 1...5 {
            let description = fields["control\(i)"]?.trimmedWhitespace ?? ""
            let verification = fields["verification\(i)"]?.trimmedWhitespace ?? ""
            if description.isEmpty && verification.isEmpty { continue }
            controls.append(HazardControl(description: description, verification: verification, verified: fields["verified\(i)"] == "1"))
        }
        return HazardService.Draft(
            title: fields["title"] ?? "", cause: fields["cause"] ?? "", effect: fields["effect"] ?? "", harm: fields["harm"] ?? "",
            initialSeverity: rating("initialSeverity", HazardSeverity.self, "initial severity"),
            initialLikelihood: rating("initialLikelihood", HazardLikelihood.self, "initial likelihood"), controls: controls,
            residualSeverity: rating("residualSeverity", HazardSeverity.self, "residual severity"),
            residualLikelihood: rating("residualLikelihood", HazardLikelihood.self, "residual likelihood"), status: status, inputErrors: errors)
    }

    /// The fields errors can name, each with the id of its control (for the summary's links).
    static let fieldIDs = ["title": "hazard-title", "cause": "hazard-cause", "effect": "hazard-effect", "harm": "hazard-harm",
                           "initialSeverity": "hazard-initialSeverity", "initialLikelihood": "hazard-initialLikelihood",
                           "controls": "hazard-control1", "residualSeverity": "hazard-residualSeverity",
                           "residualLikelihood": "hazard-residualLikelihood", "status": "hazard-status"]

    /// The errors above a refused form; each links to its field.
    static func summary(_ errors: [FieldError], what: String) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items: [HTML] = errors.map { e in
            fieldIDs[e.field].map { "<li><a href=\"#\($0)\">\(e.message)</a></li>" } ?? "<li>\(e.message)</li>"
        }
        return "<div class=\"notice error\" role=\"alert\"><h2>\(what)</h2><ul>\(items)</ul></div>"
    }

    static func render(action: String, hazard: Hazard?, entered: [String: String], errors: [FieldError] = [], csrfToken: String) -> HTML {
        func value(_ name: String, _ current: String?) -> String { entered[name] ?? current ?? "" }
        func invalid(_ name: String) -> HTML {
            errors.contains { $0.field == name } ? " aria-invalid=\"true\" aria-describedby=\"hazard-\(name)-error\"" : .empty
        }
        /// A labelled control with its errors beside it.
        func field(_ name: String, _ label: String, _ control: HTML) -> HTML {
            let messages = errors.filter { $0.field == name }.map(\.message)
            guard !messages.isEmpty else { return "<label for=\"hazard-\(name)\">\(label)</label>\(control)" }
            return """
                <div class="field-error"><label for="hazard-\(name)">\(label)</label>\(control)\
                <span class="error-message" id="hazard-\(name)-error">\(messages.joined(separator: " "))</span></div>
                """
        }
        func select<T: CaseIterable & RawRepresentable>(_ name: String, _ label: String, _ current: T?, title: (T) -> String) -> HTML where T.RawValue == Int {
            let chosen = entered[name] ?? current.map { String($0.rawValue) } ?? ""
            let options: [HTML] = T.allCases.map { c in
                "<option value=\"\(c.rawValue)\"\(String(c.rawValue) == chosen ? HTML(" selected") : .empty)>\(c.rawValue) \(title(c))</option>"
            }
            let control: HTML = "<select id=\"hazard-\(name)\" name=\"\(name)\"\(invalid(name))><option value=\"\">Choose…</option>\(options)</select>"
            return "<div>\(field(name, label, control))</div>"
        }
        let controls: [HTML] = (1...5).map { i in
            let c = hazard.flatMap { $0.controls.indices.contains(i - 1) ? $0.controls[i - 1] : nil }
            let checked: HTML = (entered["verified\(i)"] ?? (entered.isEmpty && c?.verified == true ? "1" : "")) == "1" ? " checked" : .empty
            return """
                <tr><td><label class="visually-hidden" for="hazard-control\(i)">Control \(i)</label><input id="hazard-control\(i)" name="control\(i)" type="text" value="\(value("control\(i)", c?.description))" maxlength="1000"></td>
                <td><label class="visually-hidden" for="hazard-verification\(i)">Test that verifies control \(i)</label><input id="hazard-verification\(i)" name="verification\(i)" type="text" value="\(value("verification\(i)", c?.verification))" maxlength="1000"></td>
                <td><input type="checkbox" id="hazard-verified\(i)" name="verified\(i)" value="1"\(checked)> <label for="hazard-verified\(i)">Verified</label></td></tr>
                """
        }
        let controlErrors = errors.filter { $0.field == "controls" }.map(\.message)
        let statuses: [HTML] = HazardStatus.allCases.map { s in
            "<option value=\"\(s.rawValue)\"\(value("status", hazard?.status.rawValue) == s.rawValue ? HTML(" selected") : .empty)>\(s.title)</option>"
        }
        return """
            <form method="post" action="\(action)" class="stacked hazard-form" novalidate><input type="hidden" name="csrf" value="\(csrfToken)">
            \(hazard.map { HTML("<input type=\"hidden\" name=\"version\" value=\"\($0.version)\">") } ?? .empty)
            \(field("title", "Hazard", "<input id=\"hazard-title\" name=\"title\" type=\"text\" value=\"\(value("title", hazard?.title))\" maxlength=\"200\"\(invalid("title"))>"))
            \(field("cause", "Cause", "<textarea id=\"hazard-cause\" name=\"cause\" rows=\"2\" maxlength=\"2000\"\(invalid("cause"))>\(value("cause", hazard?.cause))</textarea>"))
            \(field("effect", "Effect", "<textarea id=\"hazard-effect\" name=\"effect\" rows=\"2\" maxlength=\"2000\"\(invalid("effect"))>\(value("effect", hazard?.effect))</textarea>"))
            \(field("harm", "Potential harm to patients", "<textarea id=\"hazard-harm\" name=\"harm\" rows=\"2\" maxlength=\"2000\"\(invalid("harm"))>\(value("harm", hazard?.harm))</textarea>"))
            <div class="ratings">
            \(select("initialSeverity", "Initial severity", hazard?.initialSeverity) { $0.title })
            \(select("initialLikelihood", "Initial likelihood", hazard?.initialLikelihood) { $0.title })
            </div>
            <table class="hazard-controls"><caption>Controls, each with the test that verifies it</caption><thead><tr><th>Control</th><th>Verification test</th><th>Verified</th></tr></thead><tbody>\(controls)</tbody></table>
            \(controlErrors.isEmpty ? HTML.empty : HTML("<p class=\"error-message\" id=\"hazard-controls-error\">\(controlErrors.joined(separator: " "))</p>"))
            <div class="ratings">
            \(select("residualSeverity", "Residual severity (after the controls; blank: as initial)", hazard?.residualSeverity) { $0.title })
            \(select("residualLikelihood", "Residual likelihood", hazard?.residualLikelihood) { $0.title })
            </div>
            \(field("status", "Status", "<select id=\"hazard-status\" name=\"status\"\(invalid("status"))>\(statuses)</select>"))
            <p><button type="submit">\(hazard == nil ? "Raise hazard" : "Save hazard")</button></p></form>
            """
    }
}

/// `/projects/CODE/hazards`: the clinical hazard log, the safety-case sign-off, and the form.
struct HazardLogPage {
    var log: HazardService.HazardLogView
    var csrfToken: String
    var notice: String?
    var error: String?
    /// A refused hazard's entries and errors, shown again in the "raise a hazard" form.
    var entered: [String: String] = [:]
    var errors: [FieldError] = []
    /// A refused safety-case signature's errors and statement, shown beside its form.
    var statementErrors: [FieldError] = []
    var statement: String?

    func render() -> HTML {
        let code = log.project.code
        let rows: [HTML] = log.hazards.map { h in
            let controls: [HTML] = h.controls.map { c in
                "<li>\(c.description) <span class=\"hint\">(test: \(c.verification); \(c.verified ? "verified" : "not yet verified"))</span></li>"
            }
            return """
                <tr class="\(h.blocksGoLive ? "blocking" : "")"><td class="code ref"><a href="\(DocumentHTML.hazards(code))/\(h.id)">\(h.reference)</a></td>\
                <td><strong>\(h.title)</strong><br><span class="hint">Cause: \(h.cause) · Effect: \(h.effect) · Harm: \(h.harm)</span></td>\
                <td>\(h.initialSeverity.title) × \(h.initialLikelihood.title)<br>\(h.initialRating.title)</td>\
                <td>\(controls.isEmpty ? HTML("none") : HTML("<ul class=\"controls\">\(controls)</ul>"))</td>\
                <td>\(h.residualSeverity.title) × \(h.residualLikelihood.title)<br>\(h.residualRating.title)</td><td>\(h.status.title)\(h.blocksGoLive ? HTML(" <strong class=\"late\">blocks Go Live</strong>") : .empty)</td></tr>
                """
        }
        let signOff: HTML = log.signOff.map { s in
            log.signOffCurrent
                ? "<p class=\"notice success\">Safety case signed by \(s.signedBy) on \(DocumentHTML.time(s.signedAt)): \(s.statement)</p>"
                : "<p class=\"notice warning\">The safety case signed by \(s.signedBy) on \(DocumentHTML.time(s.signedAt)) is stale: the hazard log has changed since. The Clinical Safety Officer must sign it again.</p>"
        } ?? "<p>The Clinical Safety Officer has not signed the safety case.</p>"
        let statementMessages = statementErrors.map(\.message)
        let statementField: HTML = """
            <label for="statement">Safety case statement (why the residual clinical risk is acceptable for Go Live)</label>\
            <textarea id="statement" name="statement" rows="3" maxlength="4000"\(statementMessages.isEmpty ? HTML.empty : HTML(" aria-invalid=\"true\" aria-describedby=\"statement-error\""))>\(statement ?? "")</textarea>
            """
        let sign: HTML = log.canSign ? """
            <form method="post" action="\(Paths.project(code))/safety-case" class="stacked" novalidate><input type="hidden" name="csrf" value="\(csrfToken)">
            \(statementMessages.isEmpty ? statementField : HTML("""
            <div class="notice error" role="alert"><p>The safety case was not signed: <a href="#statement">\(statementMessages.joined(separator: " "))</a></p></div>
            <div class="field-error">\(statementField)<span class="error-message" id="statement-error">\(statementMessages.joined(separator: " "))</span></div>
            """))
            <p><button type="submit">Sign the safety case as Clinical Safety Officer</button></p></form>
            """ : .empty
        let form: HTML = log.canRecord ? """
            <section aria-labelledby="raise-hazard"><h2 id="raise-hazard">Raise a hazard</h2>
            \(HazardForm.summary(errors, what: "The hazard was not raised"))
            \(HazardForm.render(action: DocumentHTML.hazards(code), hazard: nil, entered: entered, errors: errors, csrfToken: csrfToken))</section>
            """ : .empty
        return Layout(title: "\(code) hazard log", breadcrumbs: [(code, Paths.project(code))]).render("""
            <h1>Clinical safety hazard log for \(code)</h1>
            \(DocumentHTML.notice(notice, error: error))
            \(errors.isEmpty ? HTML.empty : HTML("<p class=\"notice error\" role=\"alert\"><a href=\"#raise-hazard\">The hazard was not raised: see the errors beside the form.</a></p>"))
            <p>Ratings follow the DCB0129/DCB0160 matrix: 1-2 acceptable, 3 undesirable, 4-5 unacceptable. The Go Live gate fails while any open hazard is rated above 2 without the Clinical Safety Officer's current sign-off. \
            <a href="\(DocumentHTML.gates(code))">Stage gates</a></p>
            <p>\(log.blocking.count) open hazard\(log.blocking.count == 1 ? "" : "s") above acceptable.</p>
            \(rows.isEmpty ? HTML("<p>No hazards recorded yet.</p>") : HTML("""
            <div class="table-wrap"><table class="hazards"><thead><tr><th>Ref</th><th>Hazard</th><th>Initial</th><th>Controls</th><th>Residual</th><th>Status</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """))
            <section aria-labelledby="safety-case"><h2 id="safety-case">Safety case for Go Live</h2>\(signOff)\(sign)</section>
            \(form)
            """)
    }
}

/// `/projects/CODE/hazards/ID`: one hazard, with the form to change it for those who may.
struct HazardEditPage {
    var log: HazardService.HazardLogView
    var hazard: Hazard
    var csrfToken: String
    var error: String? = nil
    var errors: [FieldError] = []
    var entered: [String: String] = [:]

    func render() -> HTML {
        let code = log.project.code
        let h = hazard
        let body: HTML = log.canRecord ? """
            \(HazardForm.summary(errors, what: "The hazard was not saved"))
            \(HazardForm.render(action: "\(DocumentHTML.hazards(code))/\(h.id)", hazard: h, entered: entered, errors: errors, csrfToken: csrfToken))
            """ : """
            <dl class="facts"><dt>Cause</dt><dd>\(h.cause)</dd><dt>Effect</dt><dd>\(h.effect)</dd><dt>Potential harm</dt><dd>\(h.harm)</dd>
            <dt>Initial rating</dt><dd>\(h.initialSeverity.title) × \(h.initialLikelihood.title): \(h.initialRating.title)</dd>
            <dt>Controls</dt><dd>\(h.controls.isEmpty ? HTML("none") : HTML("<ul class=\"controls\">\(h.controls.map { c -> HTML in "<li>\(c.description) (test: \(c.verification); \(c.verified ? "verified" : "not yet verified"))</li>" })</ul>"))</dd>
            <dt>Residual rating</dt><dd>\(h.residualSeverity.title) × \(h.residualLikelihood.title): \(h.residualRating.title)</dd>
            <dt>Status</dt><dd>\(h.status.title)</dd></dl>
            """
        return Layout(title: "\(h.reference) \(h.title)", breadcrumbs: [(code, Paths.project(code)), ("Hazard log", DocumentHTML.hazards(code))]).render("""
            <h1>\(h.reference): \(h.title)</h1>
            \(DocumentHTML.notice(nil, error: error))
            \(body)
            """)
    }
}
