import WaymarkCore

/// The one input for creating a project by hand, as sent: a form and a JSON body are two
/// adapters onto it. Baselines are keyed by milestone (`baseline.go-live-completed` in a form).
public struct NewProject: Sendable, Hashable {
    public var organisation: String
    public var product: String
    /// lsp or esp; the product's usual type when absent.
    public var type: String?
    /// Milestone (its raw name) -> YYYY-MM-DD.
    public var baselines: [String: String]

    public init(organisation: String, product: String, type: String? = nil, baselines: [String: String]) {
        self.organisation = organisation
        self.product = product
        self.type = type
        self.baselines = baselines
    }

    public init(form: [String: String], organisation: String) {
        var baselines: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("baseline.") && !value.trimmedWhitespace.isEmpty {
            baselines[String(name.dropFirst("baseline.".count))] = value
        }
        self.init(organisation: organisation, product: form["product"] ?? "",
                  type: form["type"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 }, baselines: baselines)
    }

    /// The product, type and baseline dates, read once; problems keyed by field name.
    func parsed() throws(ValidationFailure) -> (product: Product?, code: String, type: ProjectType, baselines: [MilestoneKind: Day]) {
        var errors: [FieldError] = []
        let code = product.trimmedWhitespace.uppercased()
        let product = ProductCatalogue.product(code: code)
        var type = product?.defaultType ?? .lsp
        if let sent = self.type {
            if let parsed = ProjectType(rawValue: sent.trimmedWhitespace.lowercased()) { type = parsed } else {
                errors.append(FieldError(field: "type", message: "A project is lsp or esp, not '\(sent.prefix(12))'."))
            }
        }
        var days: [MilestoneKind: Day] = [:]
        for (name, text) in baselines {
            guard let kind = MilestoneKind(rawValue: name) else {
                errors.append(FieldError(field: "baseline.\(name.prefix(40))", message: "There is no milestone called '\(name.prefix(40))'."))
                continue
            }
            if let day = Day(iso: text.trimmedWhitespace) { days[kind] = day } else {
                errors.append(FieldError(field: MilestoneRules.field("baseline", kind), message: "Enter the \(kind.title) baseline as YYYY-MM-DD."))
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return (product, code, type, days)
    }
}
