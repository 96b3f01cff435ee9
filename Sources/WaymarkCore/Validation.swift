// Validation results shared by every feature: each problem names the field the user sent, so a
// form can show it beside the field and the API can list it in the problem's `errors`.

/// One field's problem; `field` names the form or JSON field, e.g. "actual.go-live-completed".
public struct FieldError: Hashable, Sendable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every problem with one input at once; nothing was saved.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }

    public func message(for field: String) -> String? { errors.first { $0.field == field }?.message }
    public var summary: String { errors.map(\.message).joined(separator: " ") }
    /// What the CLI prints.
    public var description: String { summary }
}
