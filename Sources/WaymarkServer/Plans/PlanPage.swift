import WaymarkCore
import WaymarkInterchange
import WaymarkService

/// A project's plan: the Gantt, the schedule with floats, variance against a baseline, the
/// check against the NSI milestones, and the import, baseline and export controls.
struct PlanPage {
    var view: PlanService.PlanView
    var baselineName: String?
    var csrfToken: String
    var notice: HTML?
    var error: String?

    var baseline: PlanBaseline? {
        baselineName.flatMap { name in view.baselines.first { $0.name == name } } ?? view.baselines.last
    }

    func render() -> HTML {
        let project = view.listing.project
        let title = "Plan for \(project.code)"
        var sections: [HTML] = []
        if let error { sections.append("<div class=\"notice error\" role=\"alert\"><h2>Not imported</h2><p>\(error)</p></div>") }
        if let notice { sections.append(notice) }
        if let problem = view.scheduleProblem {
            sections.append("<div class=\"notice error\" role=\"alert\"><h2>The plan cannot be scheduled</h2><p>\(problem)</p></div>")
        }
        if let plan = view.stored?.plan, let schedule = view.schedule {
            sections.append(summary(plan, schedule))
            sections.append(findings())
            sections.append("<h2>Gantt</h2>\(gantt(plan, schedule).render())")
            sections.append(table(plan, schedule))
        } else if view.stored == nil {
            sections.append("<p>This project has no plan yet. Import one from Microsoft Project (XML), Primavera (XER) or CSV below.</p>")
        }
        sections.append(controls())
        return Layout(title: title, breadcrumbs: [("Project \(project.code)", Paths.project(project.code))]).render("""
            <h1>\(title)</h1>
            <p class="kind">\(view.listing.organisationName) · \(project.productCode) · \(view.listing.supplierName ?? "No supplier")</p>
            \(sections)
            """)
    }

    func summary(_ plan: ProjectPlan, _ schedule: Schedule) -> HTML {
        let critical = schedule.tasks.filter { $0.isCritical && !$0.isSummary }.count
        let violations: HTML = schedule.violations.isEmpty ? .empty : """
            <div class="notice warning" role="status"><h2>Constraints that cannot be met</h2><ul>\(schedule.violations.map { HTML("<li>\($0.message)</li>") })</ul></div>
            """
        let dependents: HTML = view.dependents.isEmpty ? .empty
            : "<p>Plans that depend on this one: \(view.dependents.map { HTML("<a href=\"\(Paths.project($0))/plan\">\($0)</a>") }.joinedHTML(", "))</p>"
        let unresolved: HTML = view.unresolved.isEmpty ? .empty
            : "<p class=\"hint\">Links to projects with no plan you can see were left out: \(view.unresolved.joined(separator: ", ")).</p>"
        return """
            <section class="cards" aria-label="Schedule">
              <div class="card"><span class="value">\(plan.tasks.count)</span><span class="label">Tasks</span></div>
              <div class="card"><span class="value">\(schedule.finish.iso)</span><span class="label">Planned finish</span></div>
              <div class="card"><span class="value">\(critical)</span><span class="label">Critical tasks</span></div>
              <div class="card"><span class="value">\(plan.calendar.name)</span><span class="label">Calendar</span></div>
            </section>
            \(violations)\(dependents)\(unresolved)
            """
    }

    func findings() -> HTML {
        guard !view.findings.isEmpty else {
            return "<div class=\"notice success\" role=\"status\"><p>The plan carries every NSI reporting milestone, in order and within its baseline.</p></div>"
        }
        return """
            <div class="notice warning" role="status"><h2>Against the NSI milestones</h2>
            <ul>\(view.findings.map { HTML("<li><strong>\($0.kind.rawValue)</strong>: \($0.message)</li>") })</ul></div>
            """
    }

    func gantt(_ plan: ProjectPlan, _ schedule: Schedule) -> GanttChart {
        var rows: [GanttChart.Row] = []
        // Other projects' tasks this plan waits on come first, with negative row ids.
        var externalRow: [TaskReference: Int] = [:]
        for reference in view.external.keys.sorted(by: { ($0.projectCode ?? "", $0.taskID) < ($1.projectCode ?? "", $1.taskID) })
        where plan.dependencies.contains(where: { $0.predecessor == reference }) {
            let dates = view.external[reference]!
            externalRow[reference] = -rows.count - 1
            rows.append(GanttChart.Row(id: -rows.count - 1, label: "\(reference.projectCode ?? "") task \(reference.taskID)", level: 0,
                                       start: dates.start, finish: dates.finish, isMilestone: false,
                                       isSummary: false, isCritical: false, baseline: nil, isExternal: true))
        }
        for task in plan.tasks {
            guard let scheduled = schedule[taskID: task.id] else { continue }
            let base = baseline?.tasks[task.id]
            rows.append(GanttChart.Row(id: task.id, label: task.name, level: task.wbs.split(separator: ".").count - 1,
                                       start: scheduled.earlyStart, finish: scheduled.earlyFinish, isMilestone: task.isMilestone,
                                       isSummary: task.isSummary, isCritical: scheduled.isCritical && !task.isSummary,
                                       baseline: base.map { ($0.start, $0.finish) }))
        }
        let links = plan.dependencies.compactMap { dependency -> GanttChart.Link? in
            if dependency.predecessor.projectCode != nil {
                guard let row = externalRow[dependency.predecessor] else { return nil }
                return GanttChart.Link(from: row, to: dependency.successorID, kind: dependency.kind)
            }
            return GanttChart.Link(from: dependency.predecessor.taskID, to: dependency.successorID, kind: dependency.kind)
        }
        return GanttChart(rows: rows, links: links, today: view.today)
    }

    func table(_ plan: ProjectPlan, _ schedule: Schedule) -> HTML {
        let calendar = plan.calendar.working
        let base = baseline
        let rows: [HTML] = plan.tasks.compactMap { task in
            guard let s = schedule[taskID: task.id] else { return nil }
            let variance: HTML = base?.tasks[task.id].map { dates -> HTML in
                let slip = calendar.workingDays(from: dates.finish, to: s.earlyFinish)
                return slip > 0 ? "<span class=\"late\">\(slip) late</span>" : slip < 0 ? "\(-slip) early" : "on baseline"
            } ?? "–"
            let constraint: HTML = task.constraint.map { "\($0.kind.rawValue) \($0.date.iso)" } ?? .empty
            return """
                <tr\(s.isCritical && !task.isSummary ? HTML(" class=\"critical-row\"") : .empty)><td class="code">\(task.wbs)</td><td>\(task.name)\(task.nsiMilestone.map { HTML(" <span class=\"done\">NSI: \($0.title)</span>") })</td>\
                <td class="num">\(task.duration)</td><td>\(s.earlyStart.iso)</td><td>\(s.earlyFinish.iso)</td><td>\(s.lateStart.iso)</td><td>\(s.lateFinish.iso)</td>\
                <td class="num">\(s.totalFloat)</td><td class="num">\(s.freeFloat)</td><td>\(constraint)</td><td>\(variance)</td></tr>
                """
        }
        let baselineLinks: [HTML] = view.baselines.map { b in
            "<a href=\"\(Paths.project(view.listing.project.code))/plan?baseline=\(urlEncoded(b.name))\"\(b.name == base?.name ? HTML(" aria-current=\"true\"") : .empty)>\(b.name)</a>"
        }
        return """
            <h2>Schedule</h2>
            \(view.baselines.isEmpty ? HTML(view.canEdit ? "<p class=\"hint\">Save a baseline to see variance.</p>" : "<p class=\"hint\">No baseline has been saved yet.</p>") : HTML("<p class=\"filters\">Variance against baseline: \(baselineLinks)</p>"))
            <table><caption>Early and late dates, total and free float in working days; critical tasks have no float.</caption>
            <thead><tr><th>WBS</th><th>Task</th><th class="num">Days</th><th>Early start</th><th>Early finish</th><th>Late start</th><th>Late finish</th>\
            <th class="num">Total float</th><th class="num">Free float</th><th>Constraint</th><th>Variance\(base.map { HTML(" (\($0.name))") })</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    func controls() -> HTML {
        let code = view.listing.project.code
        let exports: HTML = view.stored == nil ? .empty : """
            <p>Export: <a href="\(Paths.project(code))/plan.xml">Microsoft Project XML</a> · <a href="\(Paths.project(code))/plan.xer">Primavera XER</a> · <a href="\(Paths.project(code))/plan.csv">CSV</a></p>
            """
        guard view.canEdit else { return exports }
        let formats: [HTML] = PlanFormat.allCases.map { "<option value=\"\($0.rawValue)\">\($0.title)</option>" }
        return """
            \(exports)
            <h2>Import a plan</h2>
            <p class="hint">Replaces the whole plan. The file is checked and scheduled first; if anything is wrong nothing changes.</p>
            <form class="stacked" action="\(Paths.project(code))/plan" method="post" enctype="multipart/form-data">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <input type="hidden" name="version" value="\(view.stored.map { String($0.version) } ?? "")">
              <label for="plan-format">Format</label><select id="plan-format" name="format">\(formats)</select>
              <label for="plan-file">File</label><input id="plan-file" name="file" type="file" required>
              <p><button type="submit">Import plan</button></p>
            </form>
            \(view.stored == nil ? HTML.empty : HTML("""
            <h2>Save a baseline</h2>
            <form class="stacked" action="\(Paths.project(code))/plan/baselines" method="post">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <label for="baseline-name">Baseline name</label><input id="baseline-name" name="name" type="text" maxlength="80" required>
              <p><button type="submit">Save baseline</button></p>
            </form>
            """))
            """
    }
}

extension Array where Element == HTML {
    func joinedHTML(_ separator: String) -> HTML {
        let between: HTML = "\(separator)"
        return HTML(enumerated().flatMap { index, part in index == 0 ? [part] : [between, part] })
    }
}
