/// Named text fields of a register entry, shared by the web form, the CSV file and the API, so
/// every way in is parsed and checked the same way. Unknown names are refused, never ignored.
/// Mitigating actions are rows (`ActionRow`), not a field: the CSV file alone writes them as text.
public enum TrackingFields {
    public static let names = [
        "kind", "title", "description", "cause", "effect", "area", "priority", "controllability", "probability",
        "residualPriority", "residualControllability", "residualProbability", "proximity", "owner", "reviewDate",
        "contingencyPlan", "response", "status", "occurredOn", "resolution",
    ]
    /// The CSV file's columns after the reference: the fields, then the actions as text.
    public static let csvNames = names + ["actions"]

    /// One mitigating action as sent, before it is checked. Row `i` of the form and item `i` of
    /// the JSON `actions` array share the field names `actions[i].due`, `.owner`, `.description`.
    public struct ActionRow: Sendable, Hashable {
        public var due: String
        public var owner: String
        public var description: String
        public var done: Bool
        public init(due: String, owner: String, description: String, done: Bool = false) {
            self.due = due
            self.owner = owner
            self.description = description
            self.done = done
        }
        /// An empty row of the form (it always offers blank rows to add to).
        public var isBlank: Bool { due.isBlank && owner.isBlank && description.isBlank && !done }
        public init(_ action: MitigatingAction) {
            self.init(due: action.due.iso, owner: action.owner, description: action.description, done: action.done)
        }
    }

    public static func actionField(_ index: Int, _ part: String) -> String { "actions[\(index)].\(part)" }

    /// Sets the given fields and, when given, the actions on `item`; returns every problem
    /// (field names as above). `kind` is only accepted for a new record, and `status` only as
    /// open or closed: escalation and conversion have their own actions, with their own checks.
    public static func apply(_ fields: [String: String], actions rows: [ActionRow]? = nil, to item: inout TrackingItem,
                             isNew: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        for name in fields.keys.sorted() where !names.contains(name) {
            fail(name, "'\(name)' is not a register field. Fields: \(names.joined(separator: ", ")), and the actions.")
        }
        func text(_ name: String) -> String? { fields[name].map { $0.trimmedWhitespace } }
        func day(_ name: String, _ label: String) -> Day?? {
            guard let raw = text(name) else { return nil }
            if raw.isEmpty { return .some(nil) }
            guard let parsed = Day(iso: raw) else {
                fail(name, "Enter the \(label) as YYYY-MM-DD, for example 2026-03-31, not '\(raw)'.")
                return nil
            }
            return .some(parsed)
        }
        if let raw = text("kind") {
            if let kind = TrackingKind(rawValue: raw.lowercased()) {
                if isNew { item.kind = kind } else if kind != item.kind {
                    fail("kind", "A \(item.kind.rawValue) cannot be changed into a\(kind == .issue ? "n" : "") \(kind.rawValue) by editing; convert an occurred risk instead.")
                }
            } else {
                fail("kind", "Kind must be risk or issue, not '\(raw)'.")
            }
        }
        for (name, keyPath) in [("title", \TrackingItem.title), ("description", \.description), ("cause", \.cause),
                                ("effect", \.effect), ("owner", \.ownerName), ("contingencyPlan", \.contingencyPlan),
                                ("response", \.response), ("resolution", \.resolution)] as [(String, WritableKeyPath<TrackingItem, String>)] {
            if let value = text(name) { item[keyPath: keyPath] = value }
        }
        if let raw = text("area") {
            if let area = AreaOfResponsibility(text: raw) { item.area = area } else {
                fail("area", "Unknown area of responsibility '\(raw)'. Areas: \(AreaOfResponsibility.allCases.map(\.title).joined(separator: "; ")).")
            }
        }
        if let raw = text("priority") {
            if let p = RiskPriority(text: raw) { item.inherent.priority = p } else { fail("priority", priorityMessage(raw)) }
        }
        if let raw = text("controllability") {
            if let c = Controllability(text: raw) { item.inherent.controllability = c } else { fail("controllability", controllabilityMessage(raw)) }
        }
        if let raw = text("probability") {
            if let p = percentage(raw) { item.inherent.probability = p } else { fail("probability", probabilityMessage(raw)) }
        }
        applyResidual(fields, to: &item, fail: fail)
        if let value = day("proximity", "proximity date") { item.proximity = value }
        if let value = day("reviewDate", "review date") { item.reviewDate = value }
        if let value = day("occurredOn", "date it occurred") { item.occurredOn = value }
        if let rows {
            var actions: [MitigatingAction] = []
            for (index, row) in rows.enumerated() where !row.isBlank {
                let due = Day(iso: row.due.trimmedWhitespace)
                if due == nil { fail(actionField(index, "due"), "Enter the due date of action \(index + 1) as YYYY-MM-DD, for example 2026-03-31.") }
                if row.owner.isBlank { fail(actionField(index, "owner"), "Name the owner of action \(index + 1).") }
                if row.description.isBlank { fail(actionField(index, "description"), "Say what action \(index + 1) will do.") }
                if let due, !row.owner.isBlank, !row.description.isBlank {
                    actions.append(MitigatingAction(description: row.description.trimmedWhitespace, owner: row.owner.trimmedWhitespace,
                                                    due: due, done: row.done))
                }
            }
            item.actions = actions
        }
        if let raw = text("status"), !raw.isEmpty {
            switch TrackingStatus(rawValue: raw.lowercased()) {
            case .open?, .closed?:
                if item.status == .open || item.status == .closed { item.status = TrackingStatus(rawValue: raw.lowercased())! } else if raw.lowercased() != item.status.rawValue {
                    fail("status", "This \(item.kind.rawValue) is \(item.status.title.lowercased()); its status cannot be set by editing.")
                }
            case let other?:
                if other != item.status {
                    fail("status", "Status '\(raw)' is set by its own action (escalate, de-escalate or convert), not by editing.")
                }
            case nil:
                fail("status", "Status must be open or closed, not '\(raw)'.")
            }
        }
        // Rule checks too, on the fields that did parse, so one pass reports every problem.
        let failed = Set(errors.map(\.field))
        return errors + TrackingRules.validate(item).filter { !failed.contains($0.field) }
    }

    private static func applyResidual(_ fields: [String: String], to item: inout TrackingItem, fail: (String, String) -> Void) {
        let raw = ["residualPriority", "residualControllability", "residualProbability"].map { fields[$0]?.trimmedWhitespace }
        guard raw.contains(where: { $0 != nil }) else { return }
        if raw.allSatisfy({ $0?.isEmpty ?? true }) {
            item.residual = nil
            return
        }
        var residual = item.residual ?? item.inherent
        if let r = raw[0] {
            if let p = RiskPriority(text: r) { residual.priority = p } else { fail("residualPriority", priorityMessage(r)) }
        }
        if let r = raw[1] {
            if let c = Controllability(text: r) { residual.controllability = c } else { fail("residualControllability", controllabilityMessage(r)) }
        }
        if let r = raw[2] {
            if let p = percentage(r) { residual.probability = p } else { fail("residualProbability", probabilityMessage(r)) }
        }
        item.residual = residual
    }

    static func percentage(_ raw: String) -> Int? {
        let digits = raw.hasSuffix("%") ? String(raw.dropLast()).trimmedWhitespace : raw
        guard let value = Int(digits), (0...100).contains(value) else { return nil }
        return value
    }

    static func priorityMessage(_ raw: String) -> String {
        "Priority must be 1 to 5 (\(RiskPriority.allCases.map(\.label).joined(separator: ", "))), not '\(raw)'."
    }
    static func controllabilityMessage(_ raw: String) -> String {
        "Controllability must be A, B, C or D (\(Controllability.allCases.map { "\($0.rawValue) \($0.meaning.lowercased())" }.joined(separator: "; "))), not '\(raw)'."
    }
    static func probabilityMessage(_ raw: String) -> String {
        "Probability must be a whole percentage from 0 to 100, not '\(raw)'."
    }

    public struct ActionError: Error, Sendable { public var message: String }

    /// Mitigating actions as text, one per line: `due | owner | description`, with `| done`
    /// after a completed one. Only the CSV file's `actions` column uses this.
    public static func parseActions(_ text: String) -> Result<[MitigatingAction], ActionError> {
        var actions: [MitigatingAction] = []
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String($0).trimmedWhitespace }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmedWhitespace }
            var done = false
            if parts.count >= 4, parts.last?.lowercased() == "done" {
                done = true
                parts.removeLast()
            }
            guard parts.count >= 3, let due = Day(iso: parts[0]), !parts[1].isEmpty else {
                return .failure(ActionError(message: "Action \(index + 1) ('\(line.prefix(60))') must read 'YYYY-MM-DD | owner | what will be done', with '| done' after a completed one."))
            }
            actions.append(MitigatingAction(description: parts[2...].joined(separator: " | "), owner: parts[1], due: due, done: done))
        }
        return .success(actions)
    }

    public static func formatActions(_ actions: [MitigatingAction]) -> String {
        actions.map { "\($0.due.iso) | \($0.owner) | \($0.description)\($0.done ? " | done" : "")" }.joined(separator: "\n")
    }

    /// The fields of `item` as text, the inverse of `apply`, with the actions as the CSV's text.
    public static func values(of item: TrackingItem) -> [String: String] {
        [
            "kind": item.kind.rawValue, "title": item.title, "description": item.description, "cause": item.cause,
            "effect": item.effect, "area": item.area.title, "priority": String(item.inherent.priority.rawValue),
            "controllability": item.inherent.controllability.rawValue, "probability": String(item.inherent.probability),
            "residualPriority": item.residual.map { String($0.priority.rawValue) } ?? "",
            "residualControllability": item.residual?.controllability.rawValue ?? "",
            "residualProbability": item.residual.map { String($0.probability) } ?? "",
            "proximity": item.proximity?.iso ?? "", "owner": item.ownerName, "reviewDate": item.reviewDate?.iso ?? "",
            "actions": formatActions(item.actions), "contingencyPlan": item.contingencyPlan, "response": item.response,
            "status": item.status.rawValue, "occurredOn": item.occurredOn?.iso ?? "", "resolution": item.resolution,
        ]
    }
}
