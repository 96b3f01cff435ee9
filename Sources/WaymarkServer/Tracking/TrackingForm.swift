import WaymarkCore
import WaymarkService

/// The fields of a risk or issue as a form, for raising a new one and editing one. Field names
/// are `TrackingFields.names`, so the form, the CSV file and the API agree.
struct TrackingForm {
    /// The values to show: what was entered (after a refused save) over the stored ones.
    var values: [String: String]
    var errors: [FieldError]
    var isNew: Bool

    func error(_ field: String) -> HTML {
        guard let message = errors.first(where: { $0.field == field || $0.field.hasPrefix(field + "[") })?.message else { return .empty }
        return "<span class=\"error-message\" id=\"\(field)-error\">\(message)</span>"
    }

    func text(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> HTML {
        """
        <label for="f-\(name)">\(label)\(required ? " (required)" : "")</label>\(hint.map { HTML("<span class=\"hint\">\($0)</span>") })\(error(name))
        <input id="f-\(name)" name="\(name)" type="text" value="\(values[name] ?? "")" maxlength="200">
        """
    }

    func area(_ name: String, _ label: String, hint: String? = nil) -> HTML {
        """
        <label for="f-\(name)">\(label)</label>\(hint.map { HTML("<span class=\"hint\">\($0)</span>") })\(error(name))
        <textarea id="f-\(name)" name="\(name)" rows="3">\(values[name] ?? "")</textarea>
        """
    }

    func date(_ name: String, _ label: String) -> HTML {
        """
        <label for="f-\(name)">\(label)</label>\(error(name))
        <input id="f-\(name)" name="\(name)" type="date" value="\(values[name] ?? "")" placeholder="YYYY-MM-DD">
        """
    }

    func select(_ name: String, _ label: String, _ options: [(value: String, title: String)], blank: String? = nil) -> HTML {
        let current = values[name] ?? ""
        let choices = (blank.map { [(value: "", title: $0)] } ?? []) + options
        return """
            <label for="f-\(name)">\(label)</label>\(error(name))
            <select id="f-\(name)" name="\(name)">\(choices.map { option -> HTML in
                "<option value=\"\(option.value)\"\(option.value == current || option.title == current ? HTML(" selected") : .empty)>\(option.title)</option>" })</select>
            """
    }

    /// The stored actions as the form's row fields (`actions[i].due`, …).
    static func actionValues(_ actions: [MitigatingAction]) -> [String: String] {
        var values: [String: String] = [:]
        for (index, action) in actions.enumerated() {
            values[TrackingFields.actionField(index, "due")] = action.due.iso
            values[TrackingFields.actionField(index, "owner")] = action.owner
            values[TrackingFields.actionField(index, "description")] = action.description
            if action.done { values[TrackingFields.actionField(index, "done")] = "1" }
        }
        return values
    }

    /// One row per action, and two blank rows to add more: with no script, saving offers more.
    func actionRows() -> HTML {
        let used = values.keys.compactMap { RegisterEntry.actionIndex($0) }.max().map { $0 + 1 } ?? 0
        let rows: [HTML] = (0..<min(used + 2, TrackingRules.maximumActions)).map { index in
            func field(_ part: String, _ label: String, type: String = "text") -> HTML {
                let name = TrackingFields.actionField(index, part)
                return """
                    <div class="action-field"><label for="f-action-\(index)-\(part)">\(label)</label>\(error(name))
                    <input id="f-action-\(index)-\(part)" name="\(name)" type="\(type)" value="\(values[name] ?? "")"></div>
                    """
            }
            let done = TrackingFields.actionField(index, "done")
            return """
                <fieldset class="action-row"><legend>Action \(index + 1)</legend>
                \(field("description", "What will be done"))\(field("owner", "Owner"))\(field("due", "Due", type: "date"))
                <div class="action-field"><input id="f-action-\(index)-done" name="\(done)" type="checkbox" value="1"\(values[done] == nil ? HTML.empty : " checked")>
                <label for="f-action-\(index)-done">Done</label></div>
                </fieldset>
                """
        }
        return """
            <fieldset><legend>Mitigating actions</legend>
            <span class="hint">Each action has an owner and a due date. Leave a row empty to add nothing; empty a row to remove its action.</span>
            \(error("actions"))\(rows)
            </fieldset>
            """
    }

    static let priorities = RiskPriority.allCases.map { (value: String($0.rawValue), title: $0.label) }
    static let controllabilities = Controllability.allCases.map { (value: $0.rawValue, title: "\($0.rawValue) · \($0.meaning)") }

    func render() -> HTML {
        let kind: HTML = isNew
            ? select("kind", "Risk or issue", [("risk", "Risk: may happen"), ("issue", "Issue: has happened")])
            : "<input type=\"hidden\" name=\"kind\" value=\"\(values["kind"] ?? "risk")\">"
        let status: HTML = isNew ? .empty : select("status", "Status", [("open", "Open"), ("closed", "Closed")]
            + ((values["status"].flatMap(TrackingStatus.init(rawValue:)).map { $0 == .open || $0 == .closed ? [] : [($0.rawValue, $0.title)] }) ?? []))
        return """
            <div class="stacked register-form">
            \(kind)
            \(text("title", "Title", required: true))
            \(area("description", "Description"))
            \(area("cause", "Cause"))
            \(area("effect", "Effect"))
            \(select("area", "Area of responsibility", AreaOfResponsibility.allCases.map { ($0.title, $0.title) }))
            <fieldset><legend>Assessment (inherent)</legend>
            \(select("priority", "Priority", Self.priorities))
            \(select("controllability", "Controllability", Self.controllabilities))
            \(text("probability", "Probability (%)", hint: "0 to 100. 40% or more needs a risk action plan; 60% a contingency plan too; above 70% a documented response."))
            </fieldset>
            <fieldset><legend>Residual assessment (after the actions; optional)</legend>
            \(select("residualPriority", "Residual priority", Self.priorities, blank: "Not assessed"))
            \(select("residualControllability", "Residual controllability", Self.controllabilities, blank: "Not assessed"))
            \(text("residualProbability", "Residual probability (%)"))
            </fieldset>
            \(text("owner", "Owner", required: true))
            \(date("proximity", "Proximity: when it could occur or bite"))
            \(date("reviewDate", "Next review"))
            \(actionRows())
            \(area("contingencyPlan", "Contingency plan"))
            \(area("response", "Documented response (needed above 70%)"))
            \(date("occurredOn", "Date it occurred (issues only)"))
            \(area("resolution", "Resolution (issues)"))
            \(status)
            </div>
            """
    }
}
