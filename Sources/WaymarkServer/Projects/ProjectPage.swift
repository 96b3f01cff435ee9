import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// A project with its milestones, and the form where the project manager records forecast
/// and actual dates. After a failed save the entered values and the errors are shown again.
struct ProjectPage {
    var view: ProgrammeService.ProjectView
    /// Whether the actor may close or cancel it (the link is shown only then).
    var canEndProject = false
    var csrfToken: String
    /// Raw form values to show instead of the stored dates (after a failed save).
    var entered: [String: String] = [:]
    var errors: [FieldError] = []
    var notice: String?
    var formError: String?
    /// Audit entries saved by others since the user's form was opened.
    var changedSince: [AuditRecord] = []
    /// Sections from the registers, lessons and change control (`Panels`).
    var panels: HTML = .empty
    /// The stage from milestone dates and from the gates; nil shows the milestone stage alone.
    var stages: StageReport?

    var project: ImplementationProject { view.project }

    func render() -> HTML {
        let product = ProductCatalogue.product(code: project.productCode)
        let title = "\(product?.name ?? project.productCode) at \(view.listing.organisationName)"
        let warnings: HTML = view.sequenceWarnings.isEmpty ? .empty : """
            <div class="notice warning" role="status"><h2>Out of the natural sequence</h2><ul>\(view.sequenceWarnings.map { HTML("<li>\($0.message)</li>") })</ul>
            <p>The guide recommends N3 and the NHS CRS first, and user registration before any CRS-related product (§4.2.4, §4.2.6). This is a warning, not a block.</p></div>
            """
        let errorSummary: HTML = errors.isEmpty && formError == nil ? .empty : """
            <div class="notice error" role="alert"><h2>The dates were not saved</h2><ul>\(formError.map { HTML("<li>\($0)</li>") })\(errors.map(summaryItem))</ul>\(changes())</div>
            """
        let content: HTML = """
            <h1>\(title)</h1>
            <p class="kind">Project \(project.code) · \(project.type.title) · \(view.listing.supplierName.map { "Supplier: \($0)" } ?? "No supplier")</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\">\($0)</div>") })
            \(errorSummary)
            \(stateNotice)
            <section class="cards" aria-label="Status">
              <div class="card"><span class="value">\(ragBadge(view.status))</span><span class="label">\(view.statusReason)</span></div>
              <div class="card"><span class="value">\(project.stage.rawValue)</span><span class="label">Stage (from milestone dates): \(project.stage.title)</span></div>
              \(gateCard)
              <div class="card"><span class="value">\(project.achievedCount)/\(project.milestones.count)</span><span class="label">Milestones achieved</span></div>
            </section>
            \(stageConflict)
            \(warnings)
            <section>
              <h2>Reporting milestones</h2>
              <p class="hint">Record forecast and actual dates as YYYY-MM-DD. Milestones are achieved in order; an actual date cannot be later than today (\(view.today.iso)). Slippage is in working days, excluding weekends and England and Wales bank holidays. Baselines change only through change control.</p>
              \(milestoneTable)
            </section>
            <p><a href="\(Paths.project(project.code))/plan">Project plan and Gantt</a> · <a href="\(Paths.project(project.code))/readiness">Readiness surveys</a> · <a href="\(Paths.project(project.code))/readiness-reports">Operational Readiness Reports</a> · <a href="\(Paths.project(project.code))/go-live-checklists">Go Live Checklists</a> · <a href="\(Paths.project(project.code))/data-quality">Data quality and migration</a> · <a href="\(Paths.project(project.code))/milestones.ics">Milestones as a calendar (.ics)</a></p>
            \(panels)
            \(history())
            """
        return Layout(title: title, breadcrumbs: Layout.crumbs(for: view.ancestors + [view.organisation])).render(content)
    }

    /// The stage the passed gates reach, beside the stage from milestone dates.
    private var gateCard: HTML {
        guard let stages else { return .empty }
        let label = stages.nextGate.map { "Stage (from stage gates): the gate out of stage \($0.title) is not yet passed" }
            ?? "Stage (from stage gates): every gate has been decided"
        return "<div class=\"card\"><span class=\"value\">\(stages.fromGates.rawValue)</span><span class=\"label\">\(label)</span></div>"
    }

    /// Said in words, not by colour alone: the two sources of the stage disagree.
    private var stageConflict: HTML {
        guard let stages, let conflict = stages.conflict else { return .empty }
        return """
            <div class="notice warning stage-conflict" role="status"><h2>Warning: the stage from milestone dates and the stage gates disagree</h2>
            <p>\(conflict) Record the missing milestone date, or decide the gate, so that both agree. <a href="\(Paths.project(project.code))/gates">Open the stage gates</a></p></div>
            """
    }

    /// The form for roles that may record dates; a read-only table for the rest.
    private var milestoneTable: HTML {
        let table: HTML = """
            <table class="milestones">
              <thead><tr><th scope="col">Milestone</th><th scope="col">Baseline</th><th scope="col">Forecast</th><th scope="col">Actual</th><th scope="col">Slippage</th></tr></thead>
              <tbody>\(project.milestones.map(row))</tbody>
            </table>
            """
        guard view.canRecordMilestones else { return table }
        return """
            <form method="post" action="\(Paths.project(project.code))/milestones" novalidate>
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <input type="hidden" name="version" value="\(project.version)">
              \(table)
              <button type="submit">Save dates</button>
            </form>
            """
    }

    private func fieldID(_ field: String) -> String { field.replacingDots() }

    /// Links to the field when the form has one; errors about fields it lacks are plain text.
    private func summaryItem(_ error: FieldError) -> HTML {
        let onForm = project.milestones.contains { m in
            ["forecast", "actual"].contains { MilestoneRules.field($0, m.kind) == error.field }
        }
        return onForm ? "<li><a href=\"#\(fieldID(error.field))\">\(error.message)</a></li>" : "<li>\(error.message)</li>"
    }

    private func row(_ milestone: Milestone) -> HTML {
        let slip = milestone.slippage(in: view.calendar)
        let slipText: HTML = slip.map { s -> HTML in
            s > 0 ? "<span class=\"late\">\(s) late</span>" : s < 0 ? "\(-s) early" : "on baseline"
        } ?? "–"
        return """
            <tr>
              <th scope="row">\(milestone.kind.title)\(milestone.isAchieved ? HTML(" <span class=\"done\">achieved</span>") : .empty)</th>
              <td>\(milestone.baseline?.iso ?? "–")</td>
              <td>\(input("forecast", milestone.kind, milestone.forecast))</td>
              <td>\(input("actual", milestone.kind, milestone.actual))</td>
              <td>\(slipText)</td>
            </tr>
            """
    }

    private func input(_ part: String, _ kind: MilestoneKind, _ stored: Day?) -> HTML {
        guard view.canRecordMilestones else { return "\(stored?.iso ?? "–")" }
        let name = MilestoneRules.field(part, kind)
        let id = fieldID(name)
        let value = entered[name] ?? stored?.iso ?? ""
        let error = errors.first { $0.field == name }?.message
        let label = "\(kind.title) \(part) date"
        guard let error else {
            return "<label class=\"visually-hidden\" for=\"\(id)\">\(label)</label><input id=\"\(id)\" name=\"\(name)\" type=\"date\" value=\"\(value)\">"
        }
        // A text input, so a malformed entry stays visible beside its error (date inputs blank it).
        return """
            <div class="field-error"><label class="visually-hidden" for="\(id)">\(label)</label>\
            <input id="\(id)" name="\(name)" type="text" inputmode="numeric" placeholder="YYYY-MM-DD" value="\(value)" aria-invalid="true" aria-describedby="\(id)-error">\
            <span class="error-message" id="\(id)-error">\(error)</span></div>
            """
    }

    private func changes() -> HTML {
        guard !changedSince.isEmpty else { return .empty }
        let items: [HTML] = changedSince.map { entry in
            "<li>\(entry.actor)\(entry.origin.map { " (\($0))" } ?? "") saved at <time>\(entry.at)</time>: \(Self.describeChange(entry))</li>"
        }
        return "<h3>Changed since you opened the form</h3><ul class=\"changes\">\(items)</ul>"
    }

    /// "Go-Live Completed forecast 2027-01-01 → 2027-02-01", from an audit entry's snapshots.
    static func describeChange(_ entry: AuditRecord) -> String {
        struct Snapshot: Decodable { var kind: String; var forecast: String?; var actual: String? }
        let decoder = JSONDecoder()
        guard let before = entry.before.flatMap({ try? decoder.decode([Snapshot].self, from: Data($0.utf8)) }),
              let after = entry.after.flatMap({ try? decoder.decode([Snapshot].self, from: Data($0.utf8)) }) else { return entry.action }
        var parts: [String] = []
        for (old, new) in zip(before, after) where old.kind == new.kind {
            let title = MilestoneKind(rawValue: new.kind)?.title ?? new.kind
            if old.forecast != new.forecast { parts.append("\(title) forecast \(old.forecast ?? "none") → \(new.forecast ?? "none")") }
            if old.actual != new.actual { parts.append("\(title) actual \(old.actual ?? "none") → \(new.actual ?? "none")") }
        }
        return parts.isEmpty ? entry.action : parts.joined(separator: "; ")
    }

    private func history() -> HTML {
        guard !view.history.isEmpty else { return .empty }
        let items: [HTML] = view.history.map { entry in
            "<li><time>\(entry.at)</time> \(entry.actor)\(entry.origin.map { " (\($0))" } ?? ""): \(entry.action)</li>"
        }
        return "<section><h2>History</h2><ul class=\"history\">\(items)</ul></section>"
    }
}

extension String {
    func replacingDots() -> String { String(map { $0 == "." ? "-" : $0 }) }
}

extension ProjectPage {
    /// A closed or cancelled project says so; a live one links to closing or cancelling it.
    var stateNotice: HTML {
        let p = view.project
        switch p.state {
        case .live:
            return canEndProject ? "<p><a href=\"/projects/\(urlEncoded(p.code))/state\">Close or cancel this project</a></p>" : .empty
        case .closed, .cancelled:
            return """
                <div class="notice" role="status"><p>\(p.state.title) on \(p.stateOn?.iso ?? "–")\(p.stateReason.map { HTML(": \($0)") } ?? .empty). \
                It has left the live roll-ups and keeps its history.</p></div>
                """
        }
    }
}
