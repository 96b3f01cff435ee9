import WaymarkCore
import WaymarkService

/// One risk or issue: its assessment and required response, actions, links (escalated to or
/// from, the risk it came from), history, and the forms to edit, escalate, return or convert it.
struct TrackingItemPage {
    var view: TrackingService.ItemView
    var csrfToken: String
    var notice: String?
    var entered: [String: String]
    var errors: [FieldError]
    var item: TrackingItem { view.item }

    func render() -> HTML {
        let title = "\(item.reference) \(item.title)"
        let crumbs: [(label: String, href: String)] = (view.organisation.map { [($0.kind == .national ? "National" : $0.name, Paths.organisation($0))] } ?? [])
            + (view.projectCode.map { [($0, Paths.project($0))] } ?? [])
        let registerLink = view.projectCode.map { Paths.project($0) + "/register" }
            ?? view.organisation.map { "/organisations/\(urlEncoded($0.code))/register" } ?? "/"
        let content: HTML = """
            <h1>\(title)</h1>
            <p class="kind">\(item.kind.title) · \(item.status.title) · raised \(item.raisedOn.iso) · <a href="\(registerLink)">back to the register</a></p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") })
            \(errorSummary())
            \(flag())
            \(links())
            \(details())
            \(actions())
            \(view.canEdit ? forms() : .empty)
            \(history())
            """
        return Layout(title: title, breadcrumbs: crumbs).render(content)
    }

    func errorSummary() -> HTML {
        guard !errors.isEmpty else { return .empty }
        return "<div class=\"notice error\" role=\"alert\"><h2>Nothing was changed</h2><ul>\(errors.map { HTML("<li>\($0.field.isEmpty ? "" : "\($0.field): ")\($0.message)</li>") })</ul></div>"
    }

    func flag() -> HTML {
        guard item.kind == .risk else { return .empty }
        let missing = item.missingResponse
        return """
            <div class="notice \(missing.isEmpty ? "" : "warning")" role="status"><h2>Required response: \(item.requiredResponse.title)</h2>\
            \(missing.isEmpty ? HTML("<p>The required plan is in place.</p>") : HTML("<p>Missing: \(missing.joined(separator: "; ")).</p>"))</div>
            """
    }

    func link(_ label: String, _ other: TrackingItem?, fallbackID: Int64?) -> HTML {
        if let other { return "<li>\(label) <a href=\"/tracking/\(other.id)\">\(other.reference) \(other.title)</a> (\(other.status.title.lowercased()))</li>" }
        if let id = fallbackID { return "<li>\(label) record \(id), in a register you cannot see.</li>" }
        return .empty
    }

    func links() -> HTML {
        let parts: [HTML] = [
            link("Escalated to", view.escalatedTo, fallbackID: item.escalatedToID),
            link("Escalated from", view.escalatedFrom, fallbackID: item.escalatedFromID),
            link(item.kind == .risk ? "Occurred as issue" : "Raised from risk", view.linked, fallbackID: item.linkedItemID),
            item.escalationReason.isEmpty ? .empty : "<li>Escalation: \(item.escalationReason)</li>",
        ]
        guard parts.contains(where: { !$0.rendered.isEmpty }) else { return .empty }
        return "<ul class=\"links\">\(parts)</ul>"
    }

    func details() -> HTML {
        func row(_ label: String, _ value: String) -> HTML { "<tr><th scope=\"row\">\(label)</th><td>\(value)</td></tr>" }
        let residual = item.residual.map { "\($0.priority.label), \($0.controllability.rawValue), \($0.probability)%" } ?? "Not assessed"
        return """
            <table class="details"><tbody>
            \(row("Description", item.description))\(row("Cause", item.cause))\(row("Effect", item.effect))
            \(row("Area of responsibility", item.area.title))
            \(row("Inherent assessment", "\(item.inherent.priority.label), \(item.inherent.controllability.rawValue) (\(item.inherent.controllability.meaning.lowercased())), \(item.inherent.probability)%"))
            \(row("Residual assessment", residual))
            \(row("Owner", item.ownerName))\(row("Proximity", item.proximity?.iso ?? "—"))\(row("Next review", item.reviewDate?.iso ?? "—"))
            \(row("Contingency plan", item.contingencyPlan.isEmpty ? "—" : item.contingencyPlan))
            \(row("Documented response", item.response.isEmpty ? "—" : item.response))
            \(item.kind == .issue ? HTML([row("Occurred", item.occurredOn?.iso ?? "—"), row("Resolution", item.resolution.isEmpty ? "—" : item.resolution)]) : .empty)
            </tbody></table>
            """
    }

    func actions() -> HTML {
        guard !item.actions.isEmpty else { return "<h2>Mitigating actions</h2><p>None recorded.</p>" }
        let rows: [HTML] = item.actions.map { action in
            let late: HTML = !action.done && action.due < view.today && item.status.isLive ? " <span class=\"late\">overdue</span>" : .empty
            return "<tr><td>\(action.description)</td><td>\(action.owner)</td><td>\(action.due.iso)\(late)</td><td>\(action.done ? "Done" : "Open")</td></tr>"
        }
        return """
            <h2>Mitigating actions</h2>
            <table><thead><tr><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    func forms() -> HTML {
        // After a refused save the form shows what was sent; its action rows replace the stored ones
        // (an unticked "done" box is not sent at all).
        let stored = TrackingFields.values(of: item).merging(TrackingForm.actionValues(item.actions)) { $1 }
        let values = entered.isEmpty ? stored
            : stored.filter { RegisterEntry.actionIndex($0.key) == nil }.merging(entered) { _, new in new }
        let hidden: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(item.version)\">"
        var parts: [HTML] = []
        if item.status == .open || item.status == .closed {
            parts.append("""
                <section><h2>Update</h2><form method="post" action="/tracking/\(item.id)" novalidate>\(hidden)
                \(TrackingForm(values: values, errors: errors, isNew: false).render())
                <button type="submit">Save changes</button></form></section>
                """)
        }
        if item.status == .open, let target = view.escalationTarget {
            parts.append("""
                <section><h2>Escalate to \(target.kind == .national ? "the National Programme" : target.name)</h2>
                <p class="hint">When it cannot be managed locally. The \(target.kind.title) sees it in its own register, linked to this one.</p>
                <form method="post" action="/tracking/\(item.id)/escalate" class="stacked">\(hidden)
                <label for="escalate-reason">Reason</label><textarea id="escalate-reason" name="reason" rows="2"></textarea>
                <button type="submit">Escalate</button></form></section>
                """)
        }
        if item.status == .open, item.escalatedFromID != nil {
            parts.append("""
                <section><h2>Return to the level below</h2><form method="post" action="/tracking/\(item.id)/de-escalate" class="stacked">\(hidden)
                <label for="return-reason">Reason</label><textarea id="return-reason" name="reason" rows="2"></textarea>
                <button type="submit">De-escalate</button></form></section>
                """)
        }
        if item.status == .open, item.kind == .risk {
            parts.append("""
                <section><h2>The risk has occurred</h2><form method="post" action="/tracking/\(item.id)/convert" class="stacked">\(hidden)
                <label for="occurred-on">Date it occurred</label><input id="occurred-on" type="date" name="occurredOn" value="\(view.today.iso)">
                <button type="submit">Convert to an issue</button></form></section>
                """)
        }
        return HTML(parts)
    }

    func history() -> HTML {
        guard !view.history.isEmpty else { return .empty }
        return """
            <h2>History</h2><ul class="history">\(view.history.map { HTML("<li>\($0.at.prefix(16).replacingOccurrences(of: "T", with: " ")) · \($0.actor) · \($0.action)</li>") })</ul>
            """
    }
}
