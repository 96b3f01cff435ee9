/// Who may give which role where (issue 13, docs/design/users.md). Pure: the service, the
/// import planner and the pages (which offer only roles the actor may give) all ask here.
public enum UserRules {
    public static let maximumName = 200

    /// The person giving a role: their rights (a role's activities, narrowed by an API token)
    /// and their scope. The command line is national and holds every right.
    public struct Grantor: Sendable, Hashable {
        public var grants: Set<Activity>
        public var scope: AccessScope?
        public init(grants: Set<Activity>, scope: AccessScope?) {
            self.grants = grants
            self.scope = scope
        }
    }

    /// The one rule on granting, and so on managing a user at all (editing, deactivating or
    /// resetting a user is managing their role). nil when `grantor` may give `role` at
    /// `organisation`; otherwise why not, which is a 403.
    /// - The grantor holds `manageUsers`, and the organisation is within their scope.
    /// - A role whose rights are all the grantor's own may always be given.
    /// - Beyond that, a grantor with national scope may give any role that cannot itself manage
    ///   users. Rights over users pass only to someone who already holds every right of the role,
    ///   so no administrator, and no narrowed token, can make one stronger than themselves.
    public static func grantProblem(_ role: Role, at organisation: Organisation, by grantor: Grantor) -> String? {
        guard let scope = grantor.scope, grantor.grants.contains(.manageUsers) else {
            return "Only a system administrator can manage users."
        }
        guard administers(scope, organisation) else {
            return "\(organisation.name) is outside the organisations whose users you manage."
        }
        return roleProblem(role, by: grantor, scope: scope)
    }

    /// The rights part of `grantProblem`, which does not depend on where the user sits.
    static func roleProblem(_ role: Role, by grantor: Grantor, scope: AccessScope) -> String? {
        let beyond = role.activities.subtracting(grantor.grants)
        guard beyond.isEmpty || (scope == .national && !role.permits(.manageUsers)) else {
            let rights = Activity.allCases.filter(beyond.contains).map(\.rawValue).joined(separator: ", ")
            return "You cannot give the role \(role.title): it carries rights you do not hold (\(rights))."
        }
        return nil
    }

    /// The roles `grantor` may give anywhere in their scope, in the order roles are listed.
    public static func grantableRoles(by grantor: Grantor) -> [Role] {
        guard let scope = grantor.scope, grantor.grants.contains(.manageUsers) else { return [] }
        return Role.allCases.filter { roleProblem($0, by: grantor, scope: scope) == nil }
    }

    /// Whether a user at `organisation` is one whose account `scope` may manage: the scope's own
    /// organisations, not suppliers contracted within it (they are managed nationally).
    public static func administers(_ scope: AccessScope, _ organisation: Organisation) -> Bool {
        switch scope {
        case .national: true
        case .subtree(let kind, let id): organisation.ancestry.id(at: kind) == id
        case .supplier(let id): organisation.id == id
        }
    }

    /// Why a user with `role` cannot belong to `organisation` (`Role.homeKinds`, and it must be
    /// open), or nil. A field error: the sender can choose another role or organisation.
    public static func levelProblem(_ role: Role, at organisation: Organisation) -> String? {
        if organisation.isClosed { return "\(organisation.name) has closed; choose an open organisation." }
        guard role.homeKinds.contains(organisation.kind) else {
            let kinds = OrganisationKind.allCases.filter(role.homeKinds.contains).map { $0.title.lowercased() }
            return "The role \(role.title) belongs at a \(kinds.joined(separator: " or ")), and \(organisation.code) is a \(organisation.kind.title.lowercased())."
        }
        return nil
    }

    /// Nobody changes their own role or organisation, or deactivates themselves: another
    /// administrator must, so one account can neither promote itself nor lock everyone out.
    public static func selfChangeProblem(changingRoleOrPlace: Bool, deactivating: Bool) -> String? {
        guard changingRoleOrPlace || deactivating else { return nil }
        return "You cannot change your own role or organisation, or deactivate yourself. Ask another system administrator."
    }

    /// The display name, trimmed, or nil when it is empty or too long.
    public static func displayName(_ raw: String) -> String? {
        let name = raw.trimmedWhitespace
        return (1...maximumName).contains(name.count) ? name : nil
    }

    /// A new user's sign-in name (`UserAccount.normalisedUsername`), or nil. The users pages'
    /// own addresses (/users/new, /users/import) cannot be usernames.
    public static func newUsername(_ raw: String) -> String? {
        UserAccount.normalisedUsername(raw).flatMap { ["new", "import"].contains($0) ? nil : $0 }
    }

    public static let usernameRule = "Usernames are 3 to 64 characters: letters, digits, '.', '-' and '_' (and not 'new' or 'import')."
    public static let nameRule = "Give the user's full name (up to \(maximumName) characters)."

    /// The role named by `text` (its code, e.g. trust-project-manager, or its title), or nil.
    public static func role(_ text: String) -> Role? {
        let text = text.trimmedWhitespace.lowercased()
        return Role.allCases.first { $0.rawValue == text || $0.title.lowercased() == text }
    }

    public static var roleRule: String { "Choose a role: \(Role.allCases.map(\.rawValue).joined(separator: ", "))." }
}
