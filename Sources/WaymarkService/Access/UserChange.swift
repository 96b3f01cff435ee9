import WaymarkCore

/// The one input for adding or editing a user, as sent: a form and a JSON body are two
/// adapters onto it. `UserAdministration` reads it once, with errors keyed by these names.
public struct UserChange: Sendable, Hashable {
    public var username: String?
    /// The full name (the form field and JSON property `name`).
    public var name: String?
    /// A role code, e.g. trust-project-manager.
    public var role: String?
    /// The organisation's code.
    public var organisation: String?
    /// The version the sender read; required when editing.
    public var expectedVersion: Int?

    public init(username: String? = nil, name: String? = nil, role: String? = nil, organisation: String? = nil,
                expectedVersion: Int? = nil) {
        self.username = username
        self.name = name
        self.role = role
        self.organisation = organisation
        self.expectedVersion = expectedVersion
    }

    /// From a form: fields named as above, and the hidden `version`. An empty choice is absent.
    public init(form: [String: String]) {
        func choice(_ name: String) -> String? { form[name].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 } }
        self.init(username: form["username"], name: form["name"], role: choice("role"), organisation: choice("organisation"),
                  expectedVersion: form["version"].flatMap { Int($0) })
    }

    /// The username, name and role sent, read: every problem keyed by its field. Fields not
    /// sent are nil (an edit changes only what it sends); `required` makes them problems too.
    func read(required: Bool) -> (username: String?, name: String?, role: Role?, errors: [FieldError]) {
        var errors: [FieldError] = []
        let username = self.username.flatMap(required ? UserRules.newUsername : UserAccount.normalisedUsername)
        if username == nil, required || self.username != nil { errors.append(FieldError(field: "username", message: UserRules.usernameRule)) }
        let name = self.name.flatMap(UserRules.displayName)
        if name == nil, required || self.name != nil { errors.append(FieldError(field: "name", message: UserRules.nameRule)) }
        let role = self.role.flatMap(UserRules.role)
        if role == nil, required || self.role != nil { errors.append(FieldError(field: "role", message: UserRules.roleRule)) }
        if required, organisation == nil { errors.append(FieldError(field: "organisation", message: "Give the code of the user's organisation.")) }
        return (username, name, role, errors)
    }
}
