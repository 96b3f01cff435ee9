import WaymarkCore
import WaymarkService

/// Pieces the change control pages share.
enum ChangeControlHTML {
    static func changes(_ organisation: Organisation) -> String { "/organisations/\(urlEncoded(organisation.code))/changes" }
    static func board(_ code: String) -> String { "/organisations/\(urlEncoded(code))/change-board" }
    static func performance(_ organisation: Organisation, year: FinancialYear? = nil) -> String {
        "/organisations/\(urlEncoded(organisation.code))/dip" + (year.map { "?year=\(urlEncoded($0.label))" } ?? "")
    }
    static func dip(_ organisation: Organisation, _ id: Int64) -> String { dip(organisation.code, id) }
    static func dip(_ code: String, _ id: Int64) -> String { "/organisations/\(urlEncoded(code))/dips/\(id)" }
    static func note(_ id: Int64) -> String { "/changes/\(id)" }

    static func state(_ state: ChangeState) -> HTML { "<span class=\"ccn-state\">\(state.title)</span>" }

    /// The result of a form: what went wrong (each message names its field) or what was saved.
    static func outcome(title: String, errors: [FieldError], notice: String?) -> HTML {
        if !errors.isEmpty {
            let items: [HTML] = errors.map { "<li><strong>\($0.field)</strong>: \($0.message)</li>" }
            return "<div class=\"notice error\" role=\"alert\"><h2>\(title)</h2><ul>\(items)</ul></div>"
        }
        return notice.map { "<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>" } ?? .empty
    }

    static func csrf(_ token: String) -> HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">" }

    /// `<option>`s for `values`, marking the entered one.
    static func options(_ values: [(value: String, label: String)], selected: String?, blank: String? = nil) -> HTML {
        let first: HTML = blank.map { "<option value=\"\">\($0)</option>" } ?? .empty
        return HTML([first] + values.map { value, label in
            "<option value=\"\(value)\"\(value == selected ? HTML(" selected") : .empty)>\(label)</option>"
        })
    }

    static func input(_ name: String, _ label: String, entered: [String: String], type: String = "text", hint: String? = nil,
                      required: Bool = false, maxLength: Int = 200) -> HTML {
        """
        <label for="f-\(name)">\(label)</label>\(hint.map { HTML("<span class=\"hint\">\($0)</span>") })\
        <input id="f-\(name)" name="\(name)" type="\(type)" value="\(entered[name] ?? "")" maxlength="\(maxLength)"\(required ? HTML(" required") : .empty)>
        """
    }

    static func textarea(_ name: String, _ label: String, entered: [String: String], hint: String? = nil, rows: Int = 3) -> HTML {
        """
        <label for="f-\(name)">\(label)</label>\(hint.map { HTML("<span class=\"hint\">\($0)</span>") })\
        <textarea id="f-\(name)" name="\(name)" rows="\(rows)" cols="70" maxlength="4000">\(entered[name] ?? "")</textarea>
        """
    }
}
