import WaymarkCore
import WaymarkService
import WaymarkStorage

/// A cluster's Change Review Board: its members, meetings and decisions, and (for the
/// cluster's programme controls and the national office) the forms that keep them.
struct ChangeBoardPage {
    var view: ChangeControlService.BoardView
    var csrfToken: String
    var notice: String?
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    func render() -> HTML {
        let organisation = view.organisation
        let title = "Change Review Board: \(organisation.kind == .national ? "National Programme" : organisation.name)"
        let crumbs = [(organisation.kind == .national ? "National" : organisation.name, Paths.organisation(organisation))]
        guard let board = view.board else {
            return Layout(title: title, breadcrumbs: crumbs).render("""
                <h1>\(title)</h1>
                <p>Change Review Boards sit in the clusters: changes are raised via the Cluster PMO and decided by the cluster's board (Implementation Guide §4.6.4).</p>
                <p><a href="\(ChangeControlHTML.changes(organisation))">Change Control Notes touching \(organisation.name)</a></p>
                """)
        }
        return Layout(title: title, breadcrumbs: crumbs).render("""
            <h1>\(title)</h1>
            <p><a href="\(ChangeControlHTML.changes(organisation))">Change Control Notes</a> · <a href="\(ChangeControlHTML.performance(organisation))">DIP performance</a></p>
            \(ChangeControlHTML.outcome(title: "Not saved", errors: errors, notice: notice))
            \(members(board))
            \(meetings(board))
            \(decisions(board))
            """)
    }

    func members(_ board: ChangeReviewBoard) -> HTML {
        let action = ChangeControlHTML.board(view.organisation.code) + "/members"
        let rows: [HTML] = board.members.map { member in
            let remove: HTML = view.canManage ? """
                <form class="inline" action="\(action)" method="post">\(ChangeControlHTML.csrf(csrfToken))\
                <input type="hidden" name="username" value="\(member.username)"><input type="hidden" name="remove" value="1">\
                <button type="submit" class="link">Remove</button></form>
                """ : .empty
            return "<tr><td>\(member.name)</td><td class=\"code\">\(member.username)</td><td>\(member.representing)</td><td>\(remove)</td></tr>"
        }
        let form: HTML = !view.canManage ? .empty : """
            <form class="filters-form" action="\(action)" method="post">\(ChangeControlHTML.csrf(csrfToken))
              <label>Username <input name="username" maxlength="64" required value="\(entered["username"] ?? "")"></label>
              <label>Name <input name="name" maxlength="120" required value="\(entered["name"] ?? "")"></label>
              <label>Represents <input name="representing" maxlength="120" value="\(entered["representing"] ?? "")"></label>
              <button type="submit">Add or update member</button>
            </form>
            """
        return """
            <h2>Members</h2>
            <p class="hint">Only members whose role permits deciding changes can record the board's decisions.</p>
            <table><thead><tr><th>Name</th><th>Username</th><th>Represents</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            \(form)
            """
    }

    func meetings(_ board: ChangeReviewBoard) -> HTML {
        let rows: [HTML] = board.meetings.map { "<tr><td>\($0.heldOn.iso)</td><td>\($0.minutes)</td></tr>" }
        let form: HTML = !view.canManage ? .empty : """
            <form class="stacked" action="\(ChangeControlHTML.board(view.organisation.code))/meetings" method="post">\(ChangeControlHTML.csrf(csrfToken))
              \(ChangeControlHTML.input("heldOn", "Date held", entered: entered, type: "date", required: true, maxLength: 10))
              \(ChangeControlHTML.textarea("minutes", "Minutes", entered: entered))
              <p><button type="submit">Record the meeting</button></p>
            </form>
            """
        return """
            <h2>Meetings</h2>
            \(rows.isEmpty ? HTML("<p>No meetings recorded.</p>") : HTML("<table><thead><tr><th>Held</th><th>Minutes</th></tr></thead><tbody>\(rows)</tbody></table>"))
            \(form)
            """
    }

    func decisions(_ board: ChangeReviewBoard) -> HTML {
        let rows: [HTML] = view.decisions.map { listing in
            let d = listing.decision
            return """
                <tr><td>\(d.decidedOn.iso)</td><td class="code"><a href="\(ChangeControlHTML.note(d.ccnID))">\(listing.reference)</a></td>\
                <td>\(listing.title)</td><td>\(d.outcome.title)</td><td>\(d.reason)</td><td>\(d.decidedBy)</td></tr>
                """
        }
        return """
            <h2>Decisions</h2>
            \(rows.isEmpty ? HTML("<p>No decisions you can see.</p>") : HTML("""
            <table><caption>Most recent first</caption><thead><tr><th>Date</th><th>CCN</th><th>Title</th><th>Decision</th><th>Reason</th><th>By</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """))
            """
    }
}
