import WaymarkCore

/// A user with the organisation they belong to, as the users page and the API show them.
public struct UserListing: Sendable, Hashable {
    public var user: UserAccount
    public var organisation: Organisation
    public init(user: UserAccount, organisation: Organisation) {
        self.user = user
        self.organisation = organisation
    }
}

public struct UserQuery: Sendable {
    /// The actor's scope, which the service sets. Deny by default: without one nothing matches.
    public var scope: AccessScope?
    public var organisationID: Int64?
    public var role: Role?
    /// Case-insensitive match on username or name.
    public var text: String?
    /// The id of the last user on the previous page (the list is in username order).
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, organisationID: Int64? = nil, role: Role? = nil, text: String? = nil,
                after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.organisationID = organisationID
        self.role = role
        self.text = text
        self.after = after
        self.limit = limit
    }
}

/// User administration (issue 13). Reads take the actor's scope (the user's organisation must
/// be one the scope administers); each write is one transaction with its audit entry.
public protocol UserDirectory: Sendable {
    func users(_ query: UserQuery) async throws -> Page<UserListing>
    func user(username: String, scope: AccessScope) async throws -> UserListing?
    /// Which of `usernames` are taken already.
    func takenUsernames(among usernames: [String]) async throws -> Set<String>
    /// Adds every user or none, with one audit entry; `.duplicate` when a username is taken.
    func addUsers(_ users: [UserAccount], audit: AuditRecord) async throws
    /// Saves the name, role, organisation and active flag of a user still at `expectedVersion`
    /// (`.conflict` otherwise). Deactivating also ends their sessions, revokes their API tokens
    /// and voids their reset links, in the same transaction.
    func updateUser(_ user: UserAccount, expectedVersion: Int, at time: Int64, audit: AuditRecord) async throws -> UserAccount
    /// Stores a reset link, voiding the user's earlier unused ones.
    func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditRecord) async throws
    func passwordReset(secretHash: String) async throws -> PasswordResetRecord?
    /// Uses a link still unused and unexpired at `time` (`.notFound` otherwise) for an active
    /// user: sets the password hash and ends every session of theirs, in one transaction.
    func usePasswordReset(secretHash: String, passwordHash: String, at time: Int64, audit: AuditRecord) async throws
}
