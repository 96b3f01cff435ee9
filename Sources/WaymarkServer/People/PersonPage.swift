import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/staff/ID`: one person — their record, their registration's steps with the next step's
/// form, their smartcards, and their training against what the TNA requires.
struct PersonPage {
    var view: StaffService.PersonView
    var user: ActingUser
    var csrfToken: String
    var form = FormState()
    var notice: String?
    var error: String?

    var person: StaffMember { view.person }
    var registration: Registration? { view.records.registration }
    var base: String { PeoplePaths.person(person.id) }

    static func stage(_ s: PeopleStatus) -> HTML {
        if s.granted { return s.overridden ? "<span class=\"rag rag-amber\">Granted by override</span>" : "<span class=\"rag rag-green\">Access granted</span>" }
        if s.proficient && s.registered { return "<span class=\"rag rag-green\">Ready for access</span>" }
        if s.registered { return "Registered" }
        return s.needsAccess ? "<span class=\"rag rag-red\">Needs access</span>" : "No access needed"
    }

    func render() -> HTML {
        let catalogue = RBACCatalogue.latest
        return Layout(title: "\(person.name): staff record", breadcrumbs: [(view.employer.name, "/organisations/\(urlEncoded(view.employer.code))"),
                                                                           ("Staff", PeoplePaths.staff(view.employer.code))]).render("""
            <h1>\(person.name)</h1>
            <p class="kind">\(catalogue.jobRole(person.jobRole)?.title ?? person.jobRole) (\(person.jobRole)) · \(view.employer.name)\
            \(person.staffNumber.map { HTML(" · staff number \($0)") } ?? .empty) · version \(person.version)</p>
            \(DocumentHTML.notice(notice, error: error))\(form.summary)
            <p>\(Self.stage(person.status))\(person.status.refresherDue ? HTML(" <span class=\"rag rag-amber\">Refresher or top-up training due</span>") : .empty)</p>
            <p>Works at: \(view.sites.map { HTML("<a href=\"\(PeoplePaths.readiness($0.code))\">\($0.name)</a>") }.joined(separator: ", ")) (main site first).</p>
            \(registrationSection)
            \(trainingSection)
            \(user.permits(.manageStaff) ? editForm : .empty)
            """)
    }

    // MARK: Registration

    var registrationSection: HTML {
        guard let r = registration else {
            let apply: HTML = user.permits(.registerUsers) ? """
                <form method="post" action="\(base)/registration"><input type="hidden" name="csrf" value="\(csrfToken)"><button type="submit">Start an RA application</button></form>
                """ : .empty
            return "<h2>Registration</h2><p>No RA application yet.</p>\(apply)"
        }
        func step(_ title: String, _ done: Bool, _ detail: String) -> HTML {
            "<li>\(done ? HTML("<span class=\"rag rag-green\">Done</span>") : HTML("<span class=\"rag rag-amber\">To do</span>")) \(title)\(done ? HTML(": \(detail)") : .empty)</li>"
        }
        let catalogue = RBACCatalogue.latest
        let positions = r.positions.map { "\(catalogue.jobRole($0.jobRole)?.title ?? $0.jobRole) in \(catalogue.workgroup($0.workgroup)?.title ?? $0.workgroup)" }
        let steps: [HTML] = [
            step("Application", true, "\(r.appliedOn.iso) by \(r.appliedBy)"),
            step("Identity check", r.status >= .identityChecked,
                 "\(r.identityCheckedOn?.iso ?? "") by \(r.identityCheckedBy ?? ""), seeing \(r.identityDocuments.map(\.title).joined(separator: ", "))"),
            step("Sponsor approval", r.status >= .approved, "\(r.approvedOn?.iso ?? "") by \(r.approvedBy ?? ""): \(positions.joined(separator: "; "))"
                 + (r.products.isEmpty ? "" : " for \(r.products.joined(separator: ", "))")),
            step("Smartcard issued", r.status >= .cardIssued, view.records.cards.first.map { "\($0.issuedOn.iso), UUID \($0.uuid)" } ?? ""),
            step("Access granted", r.status == .granted, "\(r.grantedOn?.iso ?? "") by \(r.grantedBy ?? "")"
                 + (r.overrideReason.map { " without proficiency, by override: \($0)" } ?? "") + (r.leadDays.map { "; \($0) days from application" } ?? "")),
        ]
        return """
            <h2>Registration</h2>
            <p class="kind">RA at \(r.raOrganisationID == view.employer.id ? view.employer.name : "the employer's trust") · version \(r.version)</p>
            <ol class="checklist">\(steps)</ol>
            \(nextStep(r))
            \(cards(r))
            """
    }

    func hidden(_ r: Registration) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(r.version)\">"
    }

    func nextStep(_ r: Registration) -> HTML {
        let catalogue = RBACCatalogue.latest
        switch r.status {
        case .applied where user.permits(.registerUsers):
            let boxes: [HTML] = IdentityDocument.allCases.map { d in
                "<li><input type=\"checkbox\" id=\"document-\(d.rawValue)\" name=\"document.\(d.rawValue)\" value=\"on\"><label for=\"document-\(d.rawValue)\">\(d.title)</label></li>"
            }
            return """
                <form method="post" action="\(base)/registration/identity-check" class="stacked">\(hidden(r))
                <fieldset id="identity-documents"><legend>Identity documents seen (record the kind only, never a number)</legend><ul class="plain">\(boxes)</ul></fieldset>
                \(errorFor("identity", "documents"))<p><button type="submit">Record the identity check</button></p></form>
                """
        case .identityChecked where user.permits(.sponsorAccess):
            let roles: [HTML] = catalogue.jobRoles.map { "<option value=\"\($0.code)\">\($0.code) \($0.title)</option>" }
            let groups: [HTML] = catalogue.workgroups.map { "<option value=\"\($0.code)\">\($0.title)</option>" }
            let rows: [HTML] = (0..<3).map { i in
                """
                <fieldset><legend>Position \(i + 1)\(i > 0 ? " (optional)" : "")</legend>
                <p><label for="pos-\(i)-role">Job role</label><select id="pos-\(i)-role" name="positions[\(i)].jobRole">\(i > 0 ? HTML("<option value=\"\">None</option>") : .empty)\(roles)</select></p>
                <p><label for="pos-\(i)-org">At (organisation code)</label><input type="text" id="pos-\(i)-org" name="positions[\(i)].organisation" value="\(i == 0 ? view.sites.first?.code ?? "" : "")"></p>
                <p><label for="pos-\(i)-group">Workgroup</label><select id="pos-\(i)-group" name="positions[\(i)].workgroup">\(groups)</select></p></fieldset>
                """
            }
            return """
                <form method="post" action="\(base)/registration/approval" class="stacked">\(hidden(r))\(rows)
                <p><label for="products">Products (codes, optional: blank means every product at those sites)</label><input type="text" id="products" name="products"></p>
                \(errorFor("approval", "positions"))<p><button type="submit">Approve the access profile as sponsor</button></p></form>
                """
        case .approved where user.permits(.registerUsers):
            return """
                <form method="post" action="\(base)/registration/smartcard" class="stacked">\(hidden(r))
                <p>\(form.field("card", "uuid", "Smartcard UUID", hint: RegistrationRules.uuidRule))</p><p><button type="submit">Record the smartcard issued</button></p></form>
                """
        case .cardIssued where user.permits(.registerUsers):
            let missing: HTML = view.missing.isEmpty ? "<p>Proficient in every course the training needs analysis requires.</p>"
                : HTML("<p>Not yet proficient in: \(view.missing.map { "\(view.courses[$0]?.title ?? $0) (\($0))" }.joined(separator: ", ")).</p>")
            let override: HTML = user.permits(.overrideProficiency) && !view.missing.isEmpty
                ? HTML("<p>\(form.field("grant", "overrideReason", "Reason to grant without proficiency (RA manager)", type: "textarea"))</p>") : .empty
            return """
                \(missing)<form method="post" action="\(base)/registration/grant" class="stacked">\(hidden(r))\(override)<p><button type="submit">Grant access</button></p></form>
                """
        default:
            return .empty
        }
    }

    func errorFor(_ formName: String, _ field: String) -> HTML {
        guard form.failedForm == formName, let message = form.errors.first(where: { $0.field.hasPrefix(field) })?.message else { return .empty }
        return "<p class=\"error-message\">\(message)</p>"
    }

    func cards(_ r: Registration) -> HTML {
        guard !view.records.cards.isEmpty else { return .empty }
        let canChange = user.permits(.registerUsers)
        let rows: [HTML] = view.records.cards.map { c in
            let actions: [HTML] = canChange ? SmartcardAction.allCases.compactMap { action in
                guard case .success = RegistrationRules.apply(action, to: c) else { return nil }
                return """
                    <form method="post" action="\(base)/smartcards/\(c.uuid)" class="inline">\(hidden(r))<input type="hidden" name="action" value="\(action.rawValue)">\
                    <button type="submit" class="secondary">\(action.rawValue.replacingOccurrences(of: "-", with: " ").capitalized)<span class="visually-hidden"> card \(c.uuid)</span></button></form>
                    """
            } : []
            let renew: HTML = canChange && RegistrationRules.renewRefusal(c) == nil ? """
                <form method="post" action="\(base)/smartcards/\(c.uuid)/renew" class="inline">\(hidden(r))<label for="renew-\(c.uuid)">New UUID</label>\
                <input type="text" id="renew-\(c.uuid)" name="newUUID" size="14"><button type="submit" class="secondary">Renew</button></form>
                """ : .empty
            return "<tr><td>\(c.uuid)</td><td>\(c.issuedOn.iso)</td><td>\(c.status.title) since \(c.statusOn.iso)</td><td>\(actions)\(renew)</td></tr>"
        }
        return """
            <div class="table-wrap"><table><caption>Smartcards</caption>
            <thead><tr><th scope="col">UUID</th><th scope="col">Issued</th><th scope="col">Status</th><th scope="col">Change</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    // MARK: Training

    var trainingSection: HTML {
        let required: [HTML] = view.required.map { code in
            let state: HTML = view.missing.contains(code) ? "<span class=\"rag rag-red\">No current pass</span>" : "<span class=\"rag rag-green\">Passed</span>"
            return "<tr><td>\(view.courses[code]?.title ?? code)</td><td>\(code)</td><td>\(state)</td></tr>"
        }
        let results: [HTML] = view.records.results.reversed().prefix(50).map { r in
            "<tr><td>\(view.courses[r.courseCode]?.title ?? r.courseCode)</td><td>\(r.on.iso)</td><td>\(r.passed ? "Pass" : "Fail")</td><td>\(r.source == .lms ? "Learning system" : "Session")</td></tr>"
        }
        let qualified: [HTML] = view.qualifications.map { "<li>\(view.courses[$0.courseCode]?.title ?? $0.courseCode) from \($0.qualifiedOn.iso)</li>" }
        let qualify: HTML = user.permits(.manageTraining) ? HTML("""
            <form method="post" action="\(base)/qualifications" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="qualify-course">Qualified to train</label><select id="qualify-course" name="course">\(view.courses.keys.sorted().map { HTML("<option value=\"\($0)\">\($0)</option>") })</select></p>
            <p>\(form.field("qualify", "qualifiedOn", "From (YYYY-MM-DD, blank for today)"))</p><p><button type="submit">Record trainer qualification</button></p></form>
            """) : .empty
        return """
            <h2>Training</h2>
            \(required.isEmpty ? HTML("<p>The training needs analysis requires no course of this person yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Courses the training needs analysis requires</caption>
                <thead><tr><th scope="col">Course</th><th scope="col">Code</th><th scope="col">State</th></tr></thead><tbody>\(required)</tbody></table></div>
                """))
            \(results.isEmpty ? HTML("<p>No training results yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Results, newest first</caption>
                <thead><tr><th scope="col">Course</th><th scope="col">Date</th><th scope="col">Result</th><th scope="col">From</th></tr></thead><tbody>\(results)</tbody></table></div>
                """))
            \(qualified.isEmpty ? HTML.empty : HTML("<h3>Trainer qualifications</h3><ul>\(qualified)</ul>"))\(qualify)
            """
    }

    var editForm: HTML {
        let codes = view.sites.map(\.code)
        return """
            <h2>Change the record</h2>
            <form method="post" action="\(base)" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="version" value="\(person.version)">
            <p>\(form.field("edit", "name", "Name", person.name))</p>
            <p>\(form.field("edit", "staffNumber", "Staff number", person.staffNumber))</p>
            <p>\(form.field("edit", "organisation", "Employing trust or site (code)", view.employer.code))</p>
            <p>\(form.field("edit", "jobRole", "Job role code", person.jobRole))</p>
            <p>\(form.field("edit", "site", "Main site (code)", codes.first))</p>
            <p>\(form.field("edit", "otherSites", "Other sites (codes)", codes.dropFirst().joined(separator: ", ")))</p>
            <p>\(form.field("edit", "waymarkUser", "Waymark username (optional)", person.waymarkUser))</p>
            <p><button type="submit">Save</button></p></form>
            """
    }
}
