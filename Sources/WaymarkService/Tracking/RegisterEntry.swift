import WaymarkCore

/// The one write that raises or changes a risk or issue. The register's form, the JSON body and
/// a CSV row are adapters onto it; `TrackingFields.apply` reads and checks it, once, with errors
/// keyed by the names the sender used (`title`, `actions[0].due`, …).
public struct RegisterEntry: Sendable, Hashable {
    /// Named text fields (`TrackingFields.names`); an absent field is left as it is.
    public var fields: [String: String]
    /// The mitigating actions, replacing the stored ones; nil leaves them as they are.
    public var actions: [TrackingFields.ActionRow]?
    /// The version the sender read; nil only when raising.
    public var expectedVersion: Int?

    public init(fields: [String: String], actions: [TrackingFields.ActionRow]? = nil, expectedVersion: Int? = nil) {
        self.fields = fields
        self.actions = actions
        self.expectedVersion = expectedVersion
    }

    /// The most action rows a form may send; the rules allow fewer actions than this.
    static let maximumFormRows = 200

    /// From the register's form: the fields by name, the hidden `version`, and action rows
    /// `actions[i].due`, `.owner`, `.description` and `.done` (a checkbox, sent only when ticked).
    /// Rows the form offered blank and that stay blank are dropped by `TrackingFields.apply`.
    public init(form: [String: String]) {
        var fields = form
        let version = fields.removeValue(forKey: "version").flatMap { Int($0) }
        var rows: [Int: TrackingFields.ActionRow] = [:]
        for (name, value) in form {
            guard let (index, part) = Self.actionField(name) else { continue }
            fields[name] = nil
            var row = rows[index] ?? TrackingFields.ActionRow(due: "", owner: "", description: "")
            switch part {
            case "due": row.due = value
            case "owner": row.owner = value
            case "description": row.description = value
            default: row.done = !value.isEmpty
            }
            rows[index] = row
        }
        // The form always sends its rows; a form with none (an old page, a script) leaves the actions alone.
        let actions = rows.isEmpty ? nil : (0...(rows.keys.max() ?? 0)).map {
            rows[$0] ?? TrackingFields.ActionRow(due: "", owner: "", description: "")
        }
        self.init(fields: fields, actions: actions, expectedVersion: version)
    }

    /// From a CSV row: the file carries the actions as text (`due | owner | description`).
    init(csvRow: [String: String]) throws(ValidationFailure) {
        var fields = csvRow
        var actions: [TrackingFields.ActionRow]?
        if let text = fields.removeValue(forKey: "actions") {
            switch TrackingFields.parseActions(text) {
            case .success(let parsed): actions = parsed.map(TrackingFields.ActionRow.init)
            case .failure(let error): throw ValidationFailure([FieldError(field: "actions", message: error.message)])
            }
        }
        self.init(fields: fields, actions: actions)
    }

    /// The row an action field belongs to: `actions[3].due` → 3.
    public static func actionIndex(_ name: String) -> Int? { actionField(name)?.0 }

    /// `actions[3].due` → (3, "due"); nil for any other name, which is then refused as unknown.
    static func actionField(_ name: String) -> (Int, String)? {
        guard name.hasPrefix("actions["), let close = name.firstIndex(of: "]"),
              let index = Int(name[name.index(name.startIndex, offsetBy: 8)..<close]), (0..<maximumFormRows).contains(index) else { return nil }
        let part = String(name[name.index(after: close)...])
        guard [".due", ".owner", ".description", ".done"].contains(part) else { return nil }
        return (index, String(part.dropFirst()))
    }
}
