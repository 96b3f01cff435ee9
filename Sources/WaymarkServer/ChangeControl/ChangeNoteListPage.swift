import WaymarkCore
import WaymarkService

/// The Change Control Notes touching an organisation (a cluster's own), by state, with the
/// form that raises a new one through the cluster PMO.
struct ChangeNoteListPage {
    var list: ChangeControlService.NoteList
    var csrfToken: String
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    var organisation: Organisation { list.organisation }

    func render() -> HTML {
        let title = "Change Control Notes: \(organisation.kind == .national ? "National Programme" : organisation.name)"
        let base = ChangeControlHTML.changes(organisation)
        let total = list.counts.values.reduce(0, +)
        var filters: [HTML] = ["<a href=\"\(base)\"\(list.state == nil ? HTML(" aria-current=\"true\"") : .empty)>All (\(total))</a>"]
        for state in ChangeState.allCases {
            filters.append("<a href=\"\(base)?state=\(state.rawValue)\"\(list.state == state ? HTML(" aria-current=\"true\"") : .empty)>\(state.title) (\(list.counts[state] ?? 0))</a>")
        }
        let rows: [HTML] = list.page.items.map { note in
            """
            <tr><td class="code"><a href="\(ChangeControlHTML.note(note.id))">\(note.reference)</a></td><td>\(note.title)</td>\
            <td>\(note.type.title)</td><td>\(ChangeControlHTML.state(note.state))</td><td>\(note.raisedOn.iso)</td><td>\(note.raisedBy)</td></tr>
            """
        }
        let next: HTML = list.page.nextCursor.map { cursor in
            "<p><a href=\"\(base)?\(list.state.map { "state=\($0.rawValue)&" } ?? "")after=\(cursor)\">Next page</a></p>"
        } ?? .empty
        let links: HTML = organisation.kind == .cluster
            ? "<p><a href=\"\(ChangeControlHTML.board(organisation.code))\">Change Review Board</a> · <a href=\"\(ChangeControlHTML.performance(organisation))\">DIP performance</a></p>"
            : "<p><a href=\"\(ChangeControlHTML.performance(organisation))\">DIP performance</a></p>"
        return Layout(title: title, breadcrumbs: [(organisation.kind == .national ? "National" : organisation.name, Paths.organisation(organisation))]).render("""
            <h1>\(title)</h1>
            <p class="hint">Changes are raised via the Cluster PMO and considered by the cluster's Change Review Board (Implementation Guide §4.6.4).</p>
            \(links)
            \(ChangeControlHTML.outcome(title: "The change was not raised", errors: errors, notice: nil))
            <p class="filters">\(filters.joinedHTML(" "))</p>
            \(rows.isEmpty ? HTML("<p>No Change Control Notes here.</p>") : HTML("""
            <table><caption>Change Control Notes, oldest first</caption>
            <thead><tr><th>Reference</th><th>Title</th><th>Type</th><th>State</th><th>Raised</th><th>Raised by</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """))
            \(next)
            \(list.canRaise ? form() : .empty)
            """)
    }

    func form() -> HTML {
        let types = ChangeType.allCases.map { ($0.rawValue, $0.title) }
        let cluster: HTML = organisation.ancestry.clusterID == nil
            ? ChangeControlHTML.input("cluster", "Cluster code", entered: entered, hint: "The cluster whose Change Review Board will consider it, e.g. CNE.")
            : .empty
        return """
            <h2>Raise a Change Control Note</h2>
            <form class="stacked" action="\(ChangeControlHTML.changes(organisation))" method="post">
              \(ChangeControlHTML.csrf(csrfToken))
              \(cluster)
              <label for="f-type">Type of change</label>
              <select id="f-type" name="type">\(ChangeControlHTML.options(types, selected: entered["type"], blank: "Choose…"))</select>
              \(ChangeControlHTML.input("title", "Title", entered: entered, required: true))
              \(ChangeControlHTML.textarea("description", "Description", entered: entered))
              \(ChangeControlHTML.textarea("reason", "Reason for the change", entered: entered))
              <fieldset><legend>Impact assessment</legend>
              \(ChangeControlHTML.textarea("impactRisk", "On risk", entered: entered, rows: 2))
              \(ChangeControlHTML.textarea("impactIssues", "On issues", entered: entered, rows: 2))
              \(ChangeControlHTML.textarea("impactFunctionality", "On functionality", entered: entered, rows: 2))
              \(ChangeControlHTML.textarea("impactCost", "On cost", entered: entered, rows: 2))
              \(ChangeControlHTML.input("costPounds", "Cost in whole pounds (optional)", entered: entered, maxLength: 12))
              \(ChangeControlHTML.textarea("impactTime", "On time", entered: entered, rows: 2))
              \(ChangeControlHTML.input("timeWorkingDays", "Time in working days, negative if earlier (optional)", entered: entered, maxLength: 6))
              </fieldset>
              <fieldset><legend>Affected items</legend>
              \(ChangeControlHTML.textarea("projects", "Projects", entered: entered, hint: "Project codes, separated by spaces or commas.", rows: 2))
              \(ChangeControlHTML.textarea("milestones", "Milestones to re-baseline when approved", entered: entered,
                                           hint: "One per line: PROJECT-CODE milestone YYYY-MM-DD, e.g. RXY01-CRS go-live-completed 2027-03-01."))
              \(ChangeControlHTML.textarea("dipLines", "DIP lines", entered: entered,
                                           hint: "One per line: DIP/LINE (or DIP/new for a new line), optionally a proposed due date, e.g. 12/4 2027-01-31."))
              </fieldset>
              <p><button type="submit">Raise the change</button></p>
            </form>
            """
    }
}
