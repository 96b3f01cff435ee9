import WaymarkCore
import WaymarkService

/// Several projects' plans in one Gantt: a bar per project, its NSI milestones and the tasks
/// that link across projects, with the cross-project dependencies drawn as arrows.
struct ProgrammePlansPage {
    var view: PlanService.ProgrammePlans
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let title = "Plans in \(view.organisation.kind == .national ? "the National Programme" : view.organisation.name)"
        var rows: [GanttChart.Row] = []
        var links: [GanttChart.Link] = []
        var rowID: [TaskReference: Int] = [:]
        // Tasks on either end of a cross-project link get their own rows.
        var linked = Set<TaskReference>()
        for entry in view.entries {
            for dependency in entry.plan.dependencies where dependency.predecessor.projectCode != nil {
                linked.insert(dependency.predecessor)
                linked.insert(TaskReference(projectCode: entry.plan.projectCode, taskID: dependency.successorID))
            }
        }
        for entry in view.entries {
            let code = entry.plan.projectCode
            rows.append(GanttChart.Row(id: -(rows.count + 1), label: "\(code) · \(entry.listing.organisationName)", level: 0,
                                       start: entry.schedule.start, finish: entry.schedule.finish, isMilestone: false,
                                       isSummary: true, isCritical: false, baseline: nil))
            for task in entry.plan.tasks where task.nsiMilestone != nil || linked.contains(TaskReference(projectCode: code, taskID: task.id)) {
                guard let scheduled = entry.schedule[taskID: task.id] else { continue }
                let id = rows.count + 1
                rowID[TaskReference(projectCode: code, taskID: task.id)] = id
                rows.append(GanttChart.Row(id: id, label: task.name, level: 1, start: scheduled.earlyStart, finish: scheduled.earlyFinish,
                                           isMilestone: task.isMilestone, isSummary: false, isCritical: scheduled.isCritical, baseline: nil))
            }
        }
        for entry in view.entries {
            for dependency in entry.plan.dependencies where dependency.predecessor.projectCode != nil {
                guard let from = rowID[dependency.predecessor],
                      let to = rowID[TaskReference(projectCode: entry.plan.projectCode, taskID: dependency.successorID)] else { continue }
                links.append(GanttChart.Link(from: from, to: to, kind: dependency.kind))
            }
        }
        let items: [HTML] = view.entries.map { "<li><a href=\"\(Paths.project($0.plan.projectCode))/plan\">\($0.plan.projectCode)</a> finishes \($0.schedule.finish.iso)</li>" }
        let problems: [HTML] = view.problems.map { "<li>\($0.code): \($0.reason)</li>" }
        return Layout(title: title).render("""
            <h1>\(title)</h1>
            <p>\(view.entries.count) planned projects\(view.truncated ? HTML(" (the first ones; narrow the organisation to see the rest)") : .empty). \
            Arrows show dependencies between projects.</p>
            \(problems.isEmpty ? HTML.empty : HTML("<div class=\"notice warning\"><h2>Plans that cannot be scheduled</h2><ul>\(problems)</ul></div>"))
            \(rows.isEmpty ? HTML("<p>No project here has a plan yet.</p>") : GanttChart(rows: rows, links: links, today: view.today).render())
            <ul>\(items)</ul>
            \(calendar())
            """)
    }

    func calendar() -> HTML {
        let rows: [HTML] = view.exceptions.map {
            "<tr><td>\($0.day.iso)</td><td>\($0.working ? "works" : "does not work")</td><td>\($0.note)</td></tr>"
        }
        let table: HTML = rows.isEmpty ? "<p>No local exceptions: plans here follow English and Welsh bank holidays.</p>" : """
            <table><caption>Exceptions that apply here, set at this organisation or above it</caption>
            <thead><tr><th>Day</th><th>Working?</th><th>Why</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let message: HTML = error.map { "<div class=\"notice error\" role=\"alert\"><p>\($0)</p></div>" }
            ?? notice.map { "<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>" } ?? .empty
        let form: HTML = !view.canEdit ? HTML.empty : """
            <form class="filters-form" action="/organisations/\(urlEncoded(view.organisation.code))/calendar" method="post">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <label>Day <input name="day" type="date" required></label>
              <label>This organisation <select name="working"><option value="0">does not work</option><option value="1">works (e.g. go-live weekend)</option></select></label>
              <label>Why <input name="note" maxlength="200" required></label>
              <button type="submit">Add exception</button>
            </form>
            """
        return "<h2>Calendar</h2>\(message)\(table)\(form)"
    }
}
