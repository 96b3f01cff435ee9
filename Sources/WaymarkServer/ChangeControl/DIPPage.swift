import WaymarkCore
import WaymarkService

/// A Detailed Implementation Plan seen from an organisation: its lines there, each with its
/// linked projects and status, and the forms that agree the DIP and change its lines.
struct DIPPage {
    var view: ChangeControlService.DIPView
    var csrfToken: String
    /// The line whose edit form is open.
    var editing: Int?
    var notice: String?
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    var dip: DetailedImplementationPlan { view.dip }
    var base: String { ChangeControlHTML.dip(view.organisation, dip.id) }

    func render() -> HTML {
        let title = "\(dip.year.label) DIP of \(view.supplierName), \(view.clusterName)"
        let seenFrom = view.organisation.kind == .cluster || view.organisation.kind == .national || view.organisation.id == dip.supplierID
            ? HTML.empty : HTML("<p class=\"hint\">Showing the lines at \(view.organisation.name).</p>")
        let agreed: HTML = dip.state == .agreed
            ? "<p>Agreed by \(dip.agreedBy ?? "the cluster") on \(dip.agreedOn?.iso ?? "–"). Lines now change only through an approved Change Control Note.</p>"
            : "<p>Draft: the LSP is still preparing it, so lines change freely until the cluster agrees it.</p>"
        let agree: HTML = dip.state == .draft && view.canAgree ? """
            <form class="inline" action="\(base)/agree" method="post">\(ChangeControlHTML.csrf(csrfToken))\
            <input type="hidden" name="version" value="\(dip.version)"><button type="submit">Agree this DIP</button></form>
            """ : .empty
        return Layout(title: title, breadcrumbs: [(view.organisation.kind == .national ? "National" : view.organisation.name,
                                                   ChangeControlHTML.performance(view.organisation, year: dip.year))]).render("""
            <h1>\(title)</h1>
            \(agreed)\(agree)\(seenFrom)
            \(ChangeControlHTML.outcome(title: "Not saved", errors: errors, notice: notice))
            \(table())
            \(editForm())
            \(addForm())
            """)
    }

    func table() -> HTML {
        let rows: [HTML] = dip.lines.map { line in
            let status = line.removed ? "Withdrawn" : view.statuses[line.id]?.title ?? "–"
            let projects: [HTML] = line.projects.map { "<a href=\"\(Paths.project($0.code))\">\($0.code)</a>" }
            let ccn: HTML = line.ccnID.map { "<a href=\"\(ChangeControlHTML.note($0))\">CCN</a>" } ?? .empty
            let edit: HTML = view.canManage && !line.removed ? "<a href=\"\(base)?edit=\(line.number)#edit\">Change</a>" : .empty
            return """
                <tr id="line-\(line.number)"\(line.removed ? HTML(" class=\"muted\"") : .empty)><td class="num">\(line.number)</td><td>\(line.productCode)</td>\
                <td>\(line.organisationName) <span class="code">\(line.organisationCode)</span></td><td>\(line.implementation.title)</td>\
                <td>\(line.dueMilestone.title)</td><td>\(line.dueDate.iso)</td><td>\(projects.joinedHTML(", "))</td><td>\(status)</td><td>\(ccn)</td><td>\(edit)</td></tr>
                """
        }
        return rows.isEmpty ? "<p>No lines here.</p>" : """
            <table><caption>Obligations: what, where and when</caption>
            <thead><tr><th class="num">Line</th><th>Product</th><th>Organisation</th><th>Type</th><th>Due milestone</th><th>Due</th>\
            <th>Projects</th><th>Status</th><th>Changed by</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    static let implementations = ImplementationKind.allCases.map { ($0.rawValue, $0.title) }
    static let milestones = MilestoneKind.allCases.map { ($0.rawValue, $0.title) }

    func ccnField(_ values: [String: String]) -> HTML {
        dip.state == .agreed
            ? ChangeControlHTML.input("ccn", "Approved CCN", entered: values, hint: "The agreed DIP changes only through an approved CCN that lists this line, e.g. CCN-CNE-0007.", maxLength: 20)
            : .empty
    }

    func editForm() -> HTML {
        guard view.canManage, let number = editing, let line = dip.lines.first(where: { $0.number == number }) else { return .empty }
        let values = entered.isEmpty ? ["due": line.dueDate.iso, "organisation": line.organisationCode, "implementation": line.implementation.rawValue,
                                        "projects": line.projects.map(\.code).joined(separator: " ")] : entered
        return """
            <h2 id="edit">Change line \(number)</h2>
            <form class="stacked" action="\(base)/lines/\(number)" method="post">\(ChangeControlHTML.csrf(csrfToken))
              <input type="hidden" name="version" value="\(line.version)">
              \(ChangeControlHTML.input("due", "Due date", entered: values, type: "date", maxLength: 10))
              \(ChangeControlHTML.input("organisation", "Site or trust code", entered: values, maxLength: 20))
              <label for="f-implementation">Type of implementation</label>
              <select id="f-implementation" name="implementation">\(ChangeControlHTML.options(Self.implementations, selected: values["implementation"]))</select>
              \(ChangeControlHTML.input("projects", "Projects that fulfil it", entered: values, hint: "Project codes, separated by spaces.", maxLength: 400))
              <label><input type="checkbox" name="remove" value="1"\(values["remove"] == "1" ? HTML(" checked") : .empty)> Withdraw this obligation</label>
              \(ccnField(values))
              <p><button type="submit">Save the change</button></p>
            </form>
            """
    }

    func addForm() -> HTML {
        // One form at a time, so field ids stay unique.
        guard view.canManage, editing == nil else { return .empty }
        let values = entered
        return """
            <h2>Add an obligation</h2>
            <form class="stacked" action="\(base)/lines" method="post">\(ChangeControlHTML.csrf(csrfToken))
              <label for="f-product">Product</label>
              <select id="f-product" name="product">\(ChangeControlHTML.options(ProductCatalogue.all.map { ($0.code, $0.name) }, selected: values["product"], blank: "Choose…"))</select>
              \(ChangeControlHTML.input("organisation", "Site or trust code", entered: values, maxLength: 20))
              <label for="f-new-implementation">Type of implementation</label>
              <select id="f-new-implementation" name="implementation">\(ChangeControlHTML.options(Self.implementations, selected: values["implementation"], blank: "Choose…"))</select>
              <label for="f-dueMilestone">Due milestone</label>
              <select id="f-dueMilestone" name="dueMilestone">\(ChangeControlHTML.options(Self.milestones, selected: values["dueMilestone"] ?? MilestoneKind.goLiveCompleted.rawValue))</select>
              \(ChangeControlHTML.input("due", "Due date", entered: values, type: "date", maxLength: 10))
              \(ChangeControlHTML.input("projects", "Projects that fulfil it", entered: values, hint: "Project codes, separated by spaces.", maxLength: 400))
              \(ccnField(values))
              <p><button type="submit">Add the obligation</button></p>
            </form>
            """
    }
}
