import WaymarkCore
import WaymarkService

/// Several projects' plans in one Gantt: a bar per project, its NSI milestones and the tasks
/// that link across projects, with the cross-project dependencies drawn as arrows.
struct ProgrammePlansPage {
    var view: PlanService.ProgrammePlans

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
            """)
    }
}
