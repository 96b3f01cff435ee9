import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/organisations/CODE/staff`: the staff employed within an organisation, searchable, with
/// forms to add one person or import an HR extract.
struct StaffListPage {
    var organisation: Organisation
    var page: Page<StaffMember>
    var text: String?
    var canManage: Bool
    var csrfToken: String
    var form = FormState()
    var problems: [ImportProblem] = []
    var notice: String?
    var error: String?

    func render() -> HTML {
        let code = organisation.code
        let catalogue = RBACCatalogue.latest
        let rows: [HTML] = page.items.map { s in
            "<tr><td><a href=\"\(PeoplePaths.person(s.id))\">\(s.name)</a></td><td>\(s.staffNumber ?? "–")</td><td>\(catalogue.jobRole(s.jobRole)?.title ?? s.jobRole)</td><td>\(PersonPage.stage(s.status))</td></tr>"
        }
        let next: HTML = page.nextCursor.map { HTML("<p><a href=\"\(PeoplePaths.staff(code))?after=\($0)\(text.map { "&q=\(urlEncoded($0))" } ?? "")\">Next page</a></p>") } ?? .empty
        let problemList: HTML = problems.isEmpty ? .empty : HTML("""
            <div class="notice error" role="alert"><h2>Nothing was imported</h2><ul>\(problems.prefix(200).map { HTML("<li>Line \($0.line): \($0.message)</li>") })</ul></div>
            """)
        return Layout(title: "Staff: \(organisation.name)", breadcrumbs: [(organisation.name, "/organisations/\(urlEncoded(code))"),
                                                                          ("Registration and training", PeoplePaths.readiness(code))]).render("""
            <h1>Staff: \(organisation.name)</h1>
            <p class="kind">The NHS staff to be registered and trained, by employer. These are not Waymark's users.</p>
            \(DocumentHTML.notice(notice, error: error))\(form.summary)\(problemList)
            <form method="get" action="\(PeoplePaths.staff(code))" class="filters"><label for="q">Name or staff number</label> \
            <input type="search" id="q" name="q" value="\(text ?? "")"> <button type="submit">Search</button></form>
            \(rows.isEmpty ? HTML("<p>No staff records match.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Staff, by name</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Staff number</th><th scope="col">Job role</th><th scope="col">Stage</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """))\(next)
            \(canManage ? forms : .empty)
            """)
    }

    var forms: HTML {
        let code = organisation.code
        return """
            <h2>Add a person</h2>
            <form method="post" action="\(PeoplePaths.staff(code))" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p>\(form.field("add", "name", "Name"))</p>
            <p>\(form.field("add", "staffNumber", "Staff number (optional)", hint: "The employer's own number; never an NHS Number."))</p>
            <p>\(form.field("add", "organisation", "Employing trust or site (code)", [.trust, .site].contains(organisation.kind) ? organisation.code : nil))</p>
            <p>\(form.field("add", "jobRole", "Job role code", hint: RBACCatalogue.latest.jobRoles.map { "\($0.code) \($0.title)" }.joined(separator: "; ")))</p>
            <p>\(form.field("add", "site", "Main site (code)", organisation.kind == .site ? organisation.code : nil))</p>
            <p>\(form.field("add", "otherSites", "Other sites (codes, optional)"))</p>
            <p>\(form.field("add", "waymarkUser", "Waymark username (optional)", hint: "Only if this person also uses Waymark, as a sponsor or RA agent does."))</p>
            <p><button type="submit">Add person</button></p></form>
            <h2>Import an HR extract</h2>
            <form method="post" action="\(PeoplePaths.staff(code))/import" enctype="multipart/form-data" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="staff-file">CSV file with the columns \(StaffImport.required.joined(separator: ", ")); optional \(StaffImport.optional.joined(separator: ", "))</label>
            <input type="file" id="staff-file" name="file" accept=".csv,text/csv"></p>
            <p>All or nothing: a staff number the employer already holds updates that person. A file with NHS Numbers is refused.</p>
            <p><button type="submit">Import</button></p></form>
            """
    }
}
