import WaymarkCore
import WaymarkService
import WaymarkStorage

/// A register: its records with filters, paging, flags and links to the heat map and CSV, and
/// (for roles that may) forms to raise a record and import a file.
struct RegisterPage {
    var register: TrackingService.Register
    var filter: RegisterFilter
    var page: Page<TrackingItem>
    var canEdit: Bool
    var csrfToken: String
    var today: Day
    var notice: String?
    var entered: [String: String]
    var errors: [FieldError]
    var importProblems: [TrackingService.ImportProblem]

    var base: String {
        register.project.map { Paths.project($0.project.code) } ?? "/organisations/\(urlEncoded(register.organisation.code))"
    }

    func render() -> HTML {
        let gathers = register.project == nil && (filter.below || !register.holdsOwnRegister)
        let heading = gathers ? "Risks and issues in \(register.organisation.kind == .national ? "the National Programme" : register.organisation.name)" : register.title
        let crumbs: [(label: String, href: String)] = [(register.organisation.kind == .national ? "National" : register.organisation.name,
                                                        Paths.organisation(register.organisation))]
            + (register.project.map { [($0.project.code, Paths.project($0.project.code))] } ?? [])
        let content: HTML = """
            <h1>\(heading)</h1>
            <p class="kind">The Tracking Database (§4.6.2): risks may happen, issues have happened. Priority 1 Showstopper to 5 Lowest; controllability A (plans in hand) to D (no plans).</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") })
            \(problems())
            \(filters())
            \(table())
            \(paging())
            <p>\(register.project == nil ? HTML("<a href=\"\(base)/register/heatmap\">Heat map</a> · ") : .empty)<a href="\(base)/register.csv\(filter.below ? "?below=1" : "")">Download as CSV</a></p>
            \(canEdit && register.holdsOwnRegister ? forms() : .empty)
            """
        return Layout(title: heading, breadcrumbs: crumbs).render(content)
    }

    func problems() -> HTML {
        guard !errors.isEmpty || !importProblems.isEmpty else { return .empty }
        let title = importProblems.isEmpty ? "The record was not saved" : "Nothing was imported"
        let items: [HTML] = errors.map { "<li>\($0.field.isEmpty ? "" : "\($0.field): ")\($0.message)</li>" }
            + importProblems.map { "<li>\($0.line > 0 ? "Line \($0.line): " : "")\($0.message)</li>" }
        return "<div class=\"notice error\" role=\"alert\"><h2>\(title)</h2><ul>\(items)</ul></div>"
    }

    func filters() -> HTML {
        func option<T: Equatable>(_ value: T?, _ current: T?, _ raw: String, _ title: String) -> HTML {
            "<option value=\"\(raw)\"\(value == current ? HTML(" selected") : .empty)>\(title)</option>"
        }
        let below: HTML = register.project == nil && register.holdsOwnRegister
            ? "<label><span>Include registers below</span><input type=\"checkbox\" name=\"below\" value=\"1\"\(filter.below ? HTML(" checked") : .empty)></label>" : .empty
        return """
            <form class="filters-form" method="get" action="\(base)/register">
            <label>Kind<select name="kind">\(option(nil, filter.kind, "", "Risks and issues"))\(TrackingKind.allCases.map { option($0, filter.kind, $0.rawValue, $0.title + "s") })</select></label>
            <label>Status<select name="status">\(option(nil, filter.status, "", "Any"))\(TrackingStatus.allCases.map { option($0, filter.status, $0.rawValue, $0.title) })</select></label>
            <label>Priority<select name="priority">\(option(nil, filter.priority, "", "Any"))\(RiskPriority.allCases.map { option($0, filter.priority, String($0.rawValue), $0.label) })</select></label>
            <label>Controllability<select name="controllability">\(option(nil, filter.controllability, "", "Any"))\(Controllability.allCases.map { option($0, filter.controllability, $0.rawValue, $0.rawValue) })</select></label>
            <label><span>Missing required plan</span><input type="checkbox" name="flagged" value="1"\(filter.flagged ? HTML(" checked") : .empty)></label>
            <label><span>Overdue review or action</span><input type="checkbox" name="overdue" value="1"\(filter.overdue ? HTML(" checked") : .empty)></label>
            \(below)
            <button type="submit">Filter</button>
            </form>
            """
    }

    func table() -> HTML {
        guard !page.items.isEmpty else { return "<p>No risks or issues match.</p>" }
        let rows: [HTML] = page.items.map { item in
            let flag: HTML = item.isFlagged
                ? "<span class=\"flag\" title=\"Missing \(item.missingResponse.joined(separator: ", "))\">Plan missing</span>" : .empty
            let overdue: HTML = item.isReviewOverdue(today: today) || !item.overdueActions(today: today).isEmpty ? "<span class=\"late\">overdue</span>" : .empty
            // The overdue list says what is overdue: the review, and each late action with its owner.
            let late: HTML = !filter.overdue ? .empty : HTML("<ul class=\"overdue\">\(item.isReviewOverdue(today: today) ? HTML("<li>Review was due \(item.reviewDate?.iso ?? "")</li>") : .empty)\(item.overdueActions(today: today).map { HTML("<li>\($0.description) · \($0.owner) · due \($0.due.iso)</li>") })</ul>")
            return """
                <tr><td class="ref"><a href="/tracking/\(item.id)">\(item.reference)</a></td><td>\(item.title) \(flag)\(late)</td>\
                <td>\(item.kind.title)</td><td>\(item.status.title)</td><td>\(item.current.priority.label)</td>\
                <td>\(item.current.controllability.rawValue)</td><td class="num">\(item.inherent.probability)%</td>\
                <td>\(item.kind == .risk ? item.requiredResponse.shortTitle : "")</td><td>\(item.ownerName)</td>\
                <td>\(item.reviewDate?.iso ?? "") \(overdue)</td></tr>
                """
        }
        return """
            <table class="register"><caption>\(page.items.count)\(page.nextCursor == nil ? "" : "+") records</caption>
            <thead><tr><th scope="col">Ref</th><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Status</th>\
            <th scope="col">Priority</th><th scope="col">Control</th><th scope="col" class="num">Probability</th>\
            <th scope="col">Required response</th><th scope="col">Owner</th><th scope="col">Review</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    func paging() -> HTML {
        guard let next = page.nextCursor else { return .empty }
        return "<p><a href=\"\(base)/register?\(filter.queryString(after: next))\" rel=\"next\">Next page</a></p>"
    }

    func forms() -> HTML {
        """
        <section><h2>Raise a risk or issue</h2>
        <form method="post" action="\(base)/register" novalidate>
        <input type="hidden" name="csrf" value="\(csrfToken)">
        \(TrackingForm(values: entered.isEmpty ? ["probability": "0", "controllability": "B", "priority": "3"] : entered, errors: errors, isNew: true).render())
        <button type="submit">Raise</button>
        </form></section>
        <section><h2>Import a register file (CSV)</h2>
        <p class="hint">Columns: \(TrackingService.csvColumns.joined(separator: ", ")). Rows with no reference are added; rows naming a record of this register update it. The file is imported whole or not at all.</p>
        <form method="post" action="\(base)/register/import" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(csrfToken)">
        <label for="import-file">CSV file</label> <input id="import-file" type="file" name="file" accept=".csv,text/csv">
        <button type="submit">Import</button>
        </form></section>
        """
    }
}
