import WaymarkCore

/// A page of several small forms: which one was refused, what it sent, and why. Each field
/// shows the entry back with its error beside it; the summary links to the fields.
struct FormState {
    var failedForm: String? = nil
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    func value(_ form: String, _ name: String, _ stored: String?) -> String {
        failedForm == form ? entered[name] ?? "" : stored ?? ""
    }

    /// A labelled input; `type: "textarea"` gives a text area.
    func field(_ form: String, _ name: String, _ label: String, _ stored: String? = nil, type: String = "text", hint: String? = nil) -> HTML {
        let id = "\(form)-\(name)"
        let messages = failedForm == form ? errors.filter { $0.field == name }.map(\.message) : []
        let invalid: HTML = messages.isEmpty ? .empty : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
        let control: HTML = type == "textarea"
            ? "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"5\"\(invalid)>\(value(form, name, stored))</textarea>"
            : "<input id=\"\(id)\" name=\"\(name)\" type=\"\(type)\" value=\"\(value(form, name, stored))\"\(invalid)>"
        let hintHTML: HTML = hint.map { HTML("<span class=\"hint\">\($0)</span>") } ?? .empty
        guard !messages.isEmpty else { return "<label for=\"\(id)\">\(label)</label>\(hintHTML)\(control)" }
        return """
            <div class="field-error"><label for="\(id)">\(label)</label>\(hintHTML)\
            <span class="error-message" id="\(id)-error">\(messages.joined(separator: " "))</span>\(control)</div>
            """
    }

    /// "Nothing was changed" with each error linking to its field, or nothing.
    var summary: HTML {
        errors.isEmpty ? .empty : """
            <div class="notice error" role="alert"><h2>Nothing was changed</h2><ul>\(errors.map { error -> HTML in
                error.field.isEmpty ? "<li>\(error.message)</li>" : "<li><a href=\"#\(failedForm ?? "")-\(error.field)\">\(error.message)</a></li>" })</ul></div>
            """
    }
}
