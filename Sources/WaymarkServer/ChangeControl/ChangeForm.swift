import Hummingbird
import WaymarkCore

/// A posted change control form: its fields, with anything the form does not have refused
/// (never silently dropped, so no field can be mass-assigned), and values parsed with an
/// error naming the field when they do not parse.
struct ChangeForm {
    var fields: [String: String]
    var errors: [FieldError] = []

    /// Reads the body, checks the CSRF token, and refuses fields outside `allowed`.
    static func read(_ request: Request, csrf: CSRF, allowed: Set<String>) async throws -> ChangeForm {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        var form = ChangeForm(fields: fields)
        for name in fields.keys.sorted() where name != "csrf" && !allowed.contains(name) {
            form.errors.append(FieldError(field: name, message: "'\(name)' cannot be set from this form."))
        }
        return form
    }

    /// The trimmed value, or nil when empty or absent.
    func value(_ name: String) -> String? {
        guard let raw = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        return raw
    }

    func text(_ name: String) -> String { fields[name] ?? "" }

    mutating func day(_ name: String, _ label: String) -> Day? {
        guard let raw = value(name) else { return nil }
        guard let day = Day(iso: raw) else {
            errors.append(FieldError(field: name, message: "Enter \(label) as YYYY-MM-DD, not '\(raw.prefix(40))'."))
            return nil
        }
        return day
    }

    mutating func integer(_ name: String, _ label: String) -> Int64? {
        guard let raw = value(name) else { return nil }
        guard let number = Int64(raw.replacingOccurrences(of: ",", with: "")) else {
            errors.append(FieldError(field: name, message: "\(label) must be a whole number, not '\(raw.prefix(40))'."))
            return nil
        }
        return number
    }

    /// One of `T`'s raw values; an unknown one is an error listing the choices.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let raw = value(name) else { return nil }
        guard let found = T(rawValue: raw) else {
            errors.append(FieldError(field: name, message: "'\(raw.prefix(40))' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))."))
            return nil
        }
        return found
    }

    var version: Int? { value("version").flatMap { Int($0) } }
}
