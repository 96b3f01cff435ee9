import WaymarkCore
import WaymarkService
import WaymarkStorage

/// One Change Control Note: its impact, affected items, assessments, decisions and history,
/// with forms for the moves its state allows.
struct ChangeNotePage {
    var view: ChangeControlService.NoteView
    var csrfToken: String
    var notice: String?
    /// Which form failed ("transition", "assessment", "decision"), what it held, and why.
    var failedForm: String?
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    var note: ChangeControlNote { view.note }

    func render() -> HTML {
        let title = "\(note.reference): \(note.title)"
        let impact = note.impact
        let cost = impact.cost + (impact.costPounds.map { " (£\(Self.grouped($0)))" } ?? "")
        let time = impact.time + (impact.timeWorkingDays.map { " (\($0) working days)" } ?? "")
        return Layout(title: title, breadcrumbs: [("\(note.clusterCode) changes", "/organisations/\(urlEncoded(note.clusterCode))/changes")]).render("""
            <h1>\(title)</h1>
            <p class="kind">\(note.type.title) change · \(ChangeControlHTML.state(note.state)) · raised by \(note.raisedBy) on \(note.raisedOn.iso) · \
            <a href="\(ChangeControlHTML.board(note.clusterCode))">\(note.clusterCode) Change Review Board</a></p>
            \(ChangeControlHTML.outcome(title: "Not saved", errors: errors, notice: notice))
            <h2>Description</h2><p>\(note.description)</p>
            <h2>Reason</h2><p>\(note.reason)</p>
            <h2>Impact assessment</h2>
            <table><tbody>
            <tr><th scope="row">Risk</th><td>\(impact.risk)</td></tr><tr><th scope="row">Issues</th><td>\(impact.issues)</td></tr>
            <tr><th scope="row">Functionality</th><td>\(impact.functionality)</td></tr><tr><th scope="row">Cost</th><td>\(cost)</td></tr>
            <tr><th scope="row">Time</th><td>\(time)</td></tr></tbody></table>
            \(affected())
            \(assessments())
            \(decisions())
            \(forms())
            \(history())
            """)
    }

    func affected() -> HTML {
        let projects: [HTML] = note.projects.map { "<li><a href=\"\(Paths.project($0.code))\">\($0.code)</a></li>" }
        let milestones: [HTML] = note.milestones.map {
            "<tr><td><a href=\"\(Paths.project($0.projectCode))\">\($0.projectCode)</a></td><td>\($0.kind.title)</td><td>\($0.proposedBaseline.iso)</td></tr>"
        }
        let lines: [HTML] = note.dipLines.map { line in
            let dip = "/organisations/\(urlEncoded(note.clusterCode))/dips/\(line.dipID)"
            return """
                <tr><td><a href="\(dip)">DIP \(line.dipID)</a></td><td>\(line.lineNumber.map { "Line \($0)" } ?? "A new line")</td>\
                <td>\(line.proposedDue?.iso ?? "–")</td><td>\(line.proposedImplementation?.title ?? "–")</td></tr>
                """
        }
        return """
            <h2>Affected items</h2>
            \(projects.isEmpty ? HTML("<p>No projects named.</p>") : HTML("<p>Projects:</p><ul>\(projects)</ul>"))
            \(milestones.isEmpty ? HTML.empty : HTML("""
            <table><caption>Milestones re-baselined when approved</caption><thead><tr><th>Project</th><th>Milestone</th><th>Proposed baseline</th></tr></thead>
            <tbody>\(milestones)</tbody></table>
            """))
            \(lines.isEmpty ? HTML.empty : HTML("""
            <table><caption>DIP lines (changed through this note once it is approved)</caption>
            <thead><tr><th>DIP</th><th>Line</th><th>Proposed due</th><th>Proposed type</th></tr></thead><tbody>\(lines)</tbody></table>
            """))
            """
    }

    func assessments() -> HTML {
        let rows: [HTML] = AssessorDiscipline.allCases.map { discipline in
            guard let a = note.assessment(discipline) else {
                return "<tr><td>\(discipline.title)</td><td colspan=\"3\" class=\"muted\">Not yet assessed</td></tr>"
            }
            return "<tr><td>\(discipline.title)</td><td>\(a.assessor)</td><td>\(a.recommendation)</td><td>\(a.recordedOn.iso)</td></tr>"
        }
        return """
            <h2>Assessments</h2>
            <table><thead><tr><th>Discipline</th><th>Assessor</th><th>Assessment and recommendation</th><th>Recorded</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    func decisions() -> HTML {
        guard !view.decisions.isEmpty else { return .empty }
        let meetings = Dictionary(view.meetings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows: [HTML] = view.decisions.map {
            "<tr><td>\($0.outcome.title)</td><td>\(meetings[$0.meetingID]?.heldOn.iso ?? $0.decidedOn.iso)</td><td>\($0.reason)</td><td>\($0.decidedBy)</td></tr>"
        }
        return """
            <h2>Change Review Board decisions</h2>
            <table><thead><tr><th>Decision</th><th>Meeting</th><th>Reason</th><th>Recorded by</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    func forms() -> HTML {
        var parts: [HTML] = []
        let action = ChangeControlHTML.note(note.id)
        let version: HTML = "<input type=\"hidden\" name=\"version\" value=\"\(note.version)\">"
        if view.canManage, !view.transitions.isEmpty {
            let buttons: [HTML] = view.transitions.map { state in
                """
                <form class="inline" action="\(action)/transition" method="post">\(ChangeControlHTML.csrf(csrfToken))\(version)\
                <input type="hidden" name="state" value="\(state.rawValue)"><button type="submit">Move to \(state.title.lowercased())</button></form>
                """
            }
            let missing: HTML = view.transitions.contains(.atBoard) && !note.missingAssessments.isEmpty
                ? "<p class=\"hint\">Before it goes to the board, every discipline must assess it; still missing: \(note.missingAssessments.map(\.title).joined(separator: ", ")).</p>"
                : .empty
            parts.append("<h2>Move this note on</h2>\(missing)<div class=\"actions\">\(buttons)</div>")
        }
        if view.canManage, note.state == .underAssessment || note.state == .deferred {
            let values = failedForm == "assessment" ? entered : [:]
            parts.append("""
                <h2>Record an assessment</h2>
                <form class="stacked" action="\(action)/assessments" method="post">\(ChangeControlHTML.csrf(csrfToken))\(version)
                  <label for="f-discipline">Discipline</label>
                  <select id="f-discipline" name="discipline">\(ChangeControlHTML.options(AssessorDiscipline.allCases.map { ($0.rawValue, $0.title) },
                                                                                           selected: values["discipline"] ?? note.missingAssessments.first?.rawValue))</select>
                  \(ChangeControlHTML.input("assessor", "Assessor", entered: values, required: true))
                  \(ChangeControlHTML.textarea("recommendation", "Assessment and recommendation", entered: values))
                  <p><button type="submit">Record the assessment</button></p>
                </form>
                """)
        }
        if view.canDecideHere, note.state == .atBoard {
            let values = failedForm == "decision" ? entered : [:]
            let meetings = view.meetings.map { (String($0.id), "\($0.heldOn.iso)") }
            let hint: HTML = view.canDecide ? .empty
                : "<p class=\"hint\">You are not a member of the \(note.clusterCode) Change Review Board: only its members can record its decision.</p>"
            parts.append("""
                <h2>Record the board's decision</h2>\(hint)
                <form class="stacked" action="\(action)/decision" method="post">\(ChangeControlHTML.csrf(csrfToken))\(version)
                  <label for="f-meeting">Board meeting</label>
                  <select id="f-meeting" name="meeting">\(ChangeControlHTML.options(meetings, selected: values["meeting"] ?? meetings.first?.0))</select>
                  <label for="f-outcome">Decision</label>
                  <select id="f-outcome" name="outcome">\(ChangeControlHTML.options(DecisionOutcome.allCases.map { ($0.rawValue, $0.title) },
                                                                                     selected: values["outcome"], blank: "Choose…"))</select>
                  \(ChangeControlHTML.textarea("reason", "Reason", entered: values))
                  <p class="hint">Approving re-baselines the milestones listed above, in the same step.</p>
                  <p><button type="submit">Record the decision</button></p>
                </form>
                """)
        }
        return HTML(parts)
    }

    func history() -> HTML {
        guard !view.history.isEmpty else { return .empty }
        let rows: [HTML] = view.history.map { "<tr><td>\($0.at)</td><td>\($0.actor)</td><td>\($0.action)</td></tr>" }
        return "<h2>History</h2><table class=\"history\"><thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    static func grouped(_ value: Int64) -> String {
        var digits = String(value)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

extension ChangeControlService.NoteView {
    /// The decision form shows to anyone whose role may decide, so a non-member learns why they cannot.
    var canDecideHere: Bool { canDecide || mayDecide }
}
