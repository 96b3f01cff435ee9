import Foundation
import WaymarkCore
import WaymarkStorage

/// Users, administered (issue 13): add, edit (name, role, organisation), deactivate and
/// reactivate, and one-time password-reset links. Every change needs `.manageUsers`, obeys
/// `UserRules.grantProblem` for the role given and the role of the user changed, and is
/// audited in its own transaction.
public struct UserAdministration: Sendable {
    public let gate: AccessGate
    let accounts: AccountService
    var store: any WaymarkStore { accounts.store }

    public init(accounts: AccountService) {
        self.accounts = accounts
        gate = AccessGate(records: accounts.store, clock: accounts.clock)
    }

    static let entityType = "user"
    /// What a user without a password holds: no bcrypt hash, so no password matches it.
    static let noPassword = "!"

    /// A page of the users the actor manages; `organisation` (a code) narrows it to one
    /// organisation's users, and answers 404 when the actor administers no such organisation.
    public func users(_ query: UserQuery, organisation code: String? = nil, as user: ActingUser) async throws -> Page<UserListing> {
        var query = query
        let scope = try await gate.authorise(.manageUsers, as: user)
        query.scope = scope
        if let code = code?.trimmedWhitespace, !code.isEmpty {
            var errors: [FieldError] = []
            guard let organisation = try await organisation(code, scope: scope, errors: &errors) else { throw ServiceError.unknownOrganisation(code) }
            query.organisationID = organisation.id
        }
        return try await store.users(query)
    }

    /// The roles the actor may give, for a form's choices; 403 unless they manage users.
    public func roles(as user: ActingUser) async throws -> [Role] {
        _ = try await gate.authorise(.manageUsers, as: user)
        return UserRules.grantableRoles(by: user.grantor)
    }

    /// The user with `username` whose account the actor manages: out of scope reads as unknown.
    public func user(_ username: String, as user: ActingUser) async throws -> UserListing {
        try await scoped(username, as: user).0
    }

    /// Anyone without `manageUsers` is refused (403) before any lookup, so no answer tells
    /// whether a username exists; an administrator's out-of-scope user reads as unknown (404),
    /// and the attempt is audited.
    func scoped(_ username: String, as user: ActingUser) async throws -> (UserListing, AccessScope) {
        let scope = try await gate.authorise(.manageUsers, as: user)
        guard let found = try await store.user(username: username, scope: scope) else {
            if scope != .national, let hidden = try await store.user(username: username, scope: .national) {
                await gate.auditDenial("denied: out of scope", entityType: Self.entityType, entityID: hidden.user.id, as: user)
            }
            throw Self.unknown(username)
        }
        return (found, scope)
    }

    /// Adds a user. Without a password (the pages and the API) they sign in only once they
    /// have set one through a reset link.
    public func create(_ change: UserChange, password: String? = nil, as user: ActingUser) async throws -> UserListing {
        let scope = try await gate.authorise(.manageUsers, as: user)
        var (username, name, role, errors) = change.read(required: true)
        let organisation = try await organisation(change.organisation, scope: scope, errors: &errors)
        if let role, let organisation {
            try await refuseGrant(role, at: organisation, target: 0, as: user)
            if let problem = UserRules.levelProblem(role, at: organisation) { errors.append(FieldError(field: "role", message: problem)) }
        }
        if let password, let problem = PasswordHasher.problem(with: password) { errors.append(FieldError(field: "password", message: problem)) }
        guard errors.isEmpty, let username, let name, let role, let organisation else { throw ValidationFailure(errors) }
        let hash = if let password { await accounts.hasher.hash(password) } else { Self.noPassword }
        let account = UserAccount(username: username, displayName: name, role: role, organisationID: organisation.id, passwordHash: hash)
        do {
            let saved = try await store.addUser(account, audit: gate.auditRecord(
                "add user", entityType: Self.entityType, entityID: 0, after: Self.snapshot(account, organisation), as: user))
            return UserListing(user: saved, organisation: organisation)
        } catch let error as StorageError where error.code == .duplicate {
            throw ValidationFailure([FieldError(field: "username", message: "The username '\(username)' is taken.")])
        }
    }

    /// Changes a user's name, role or organisation. The username does not change.
    public func update(_ username: String, _ change: UserChange, as user: ActingUser) async throws -> UserListing {
        let (current, scope) = try await managed(username, as: user)
        let expected = try Self.expectedVersion(change.expectedVersion, current)
        var (_, name, role, errors) = UserChange(name: change.name, role: change.role).read(required: false)
        if let sent = change.username, UserAccount.normalisedUsername(sent) != current.user.username {
            errors.append(FieldError(field: "username", message: "Usernames do not change: add a new user and deactivate this one."))
        }
        var organisation = current.organisation
        if change.organisation != nil { organisation = try await self.organisation(change.organisation, scope: scope, errors: &errors) ?? organisation }
        var updated = current.user
        updated.displayName = name ?? updated.displayName
        updated.role = role ?? updated.role
        updated.organisationID = organisation.id
        let moving = updated.role != current.user.role || updated.organisationID != current.user.organisationID
        if moving {
            if current.user.id == user.account?.id, let problem = UserRules.selfChangeProblem(changingRoleOrPlace: true, deactivating: false) {
                await gate.auditDenial("denied: change own role", entityType: Self.entityType, entityID: current.user.id, as: user)
                throw ServiceError(.forbidden, problem)
            }
            try await refuseGrant(updated.role, at: organisation, target: current.user.id, as: user)
            if let problem = UserRules.levelProblem(updated.role, at: organisation) { errors.append(FieldError(field: "role", message: problem)) }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard updated != current.user else { return current }
        return try await save(updated, organisation: organisation, expected: expected, action: "edit user", before: current, as: user)
    }

    /// Deactivates (or reactivates) a user. Deactivating ends their sessions and revokes their
    /// API tokens in the same transaction, and forgets the tokens this node has cached.
    public func setActive(_ username: String, _ active: Bool, expectedVersion: Int?, as user: ActingUser) async throws -> UserListing {
        let current = try await managed(username, as: user).0
        let expected = try Self.expectedVersion(expectedVersion, current)
        if !active, current.user.id == user.account?.id, let problem = UserRules.selfChangeProblem(changingRoleOrPlace: false, deactivating: true) {
            await gate.auditDenial("denied: deactivate self", entityType: Self.entityType, entityID: current.user.id, as: user)
            throw ServiceError(.forbidden, problem)
        }
        guard current.user.active != active else {
            throw ServiceError(.conflict, "\(current.user.username) is already \(active ? "active" : "deactivated").")
        }
        var updated = current.user
        updated.active = active
        return try await save(updated, organisation: current.organisation, expected: expected,
                              action: active ? "reactivate user" : "deactivate user", before: current, as: user)
    }

    public struct ResetLink: Sendable {
        /// Shown once, in the link; only its hash is stored.
        public var secret: String
        /// Seconds since 1970.
        public var expiresAt: Int64
        public var user: UserListing
        public var path: String { "/reset/\(secret)" }
    }

    /// Issues a one-time link with which the user sets a new password. It replaces any earlier
    /// unused link of theirs, and expires after `AccountService.Configuration.resetLinkLifetime`.
    public func createResetLink(_ username: String, as user: ActingUser) async throws -> ResetLink {
        let current = try await managed(username, as: user).0
        guard current.user.active else {
            throw ServiceError(.conflict, "\(current.user.username) is deactivated. Reactivate them before issuing a reset link.")
        }
        let secret = Secrets.generate()
        let now = accounts.now
        let expires = now + accounts.configuration.resetLinkLifetime
        try await store.createPasswordReset(
            PasswordResetRecord(secretHash: Secrets.hash(secret), userID: current.user.id, createdAt: now, expiresAt: expires),
            audit: gate.auditRecord("issue password reset link", entityType: Self.entityType, entityID: current.user.id,
                                    after: "{\"expires\":\(expires)}", as: user))
        return ResetLink(secret: secret, expiresAt: expires, user: current)
    }

    // MARK: Helpers

    /// The user, if the actor may manage them at all: in scope (else 404), and holding a role
    /// the actor could give (else 403), since resetting or editing an account is taking it over.
    func managed(_ username: String, as user: ActingUser) async throws -> (UserListing, AccessScope) {
        let (current, scope) = try await scoped(username, as: user)
        try await refuseGrant(current.user.role, at: current.organisation, target: current.user.id, as: user)
        return (current, scope)
    }

    /// Throws the audited 403 of `UserRules.grantProblem`, if any.
    func refuseGrant(_ role: Role, at organisation: Organisation, target: Int64, as user: ActingUser) async throws {
        guard let problem = UserRules.grantProblem(role, at: organisation, by: user.grantor) else { return }
        await gate.auditDenial("denied: grant \(role.rawValue)", entityType: Self.entityType, entityID: target, as: user)
        throw ServiceError(.forbidden, problem)
    }

    /// The organisation named by `code` among those the scope administers; a field error otherwise.
    func organisation(_ code: String?, scope: AccessScope, errors: inout [FieldError]) async throws -> Organisation? {
        guard let code = code?.trimmedWhitespace, !code.isEmpty else { return nil }
        guard let organisation = try await store.organisation(code: code, scope: .national), UserRules.administers(scope, organisation) else {
            errors.append(FieldError(field: "organisation", message: "No organisation has the code '\(code.prefix(20))'."))
            return nil
        }
        return organisation
    }

    func save(_ updated: UserAccount, organisation: Organisation, expected: Int, action: String, before: UserListing,
              as user: ActingUser) async throws -> UserListing {
        let audit = gate.auditRecord(action, entityType: Self.entityType, entityID: updated.id,
                                     before: Self.snapshot(before.user, before.organisation), after: Self.snapshot(updated, organisation), as: user)
        do {
            let saved = try await store.updateUser(updated, expectedVersion: expected, at: accounts.now, audit: audit)
            // A changed role or a deactivation takes effect at once for this node's cached tokens.
            accounts.tokenCache.forget(userID: updated.id)
            return UserListing(user: saved, organisation: organisation)
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(before.user)
        }
    }

    /// Every change names the version it was made against: missing is 428, stale is 412.
    static func expectedVersion(_ expected: Int?, _ current: UserListing) throws -> Int {
        guard let expected else {
            throw ServiceError.versionRequired("Say which version of \(current.user.username) you are changing (If-Match, or reload the page).")
        }
        guard expected == current.user.version else { throw stale(current.user) }
        return expected
    }

    static func stale(_ user: UserAccount) -> ServiceError {
        .stale("\(user.username) was changed by someone else since you opened it. Reload it and try again.")
    }

    static func unknown(_ username: String) -> ServiceError {
        ServiceError(.notFound, "No user is called '\(username.prefix(64))'.")
    }

    struct Snapshot: Encodable { var username: String, name: String, role: String, organisation: String, active: Bool }

    static func snapshot(_ user: UserAccount, _ organisation: Organisation) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = Snapshot(username: user.username, name: user.displayName, role: user.role.rawValue, organisation: organisation.code,
                             active: user.active)
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

extension ActingUser {
    /// The actor as `UserRules` sees a grantor: their rights (narrowed by any token) and scope.
    var grantor: UserRules.Grantor { UserRules.Grantor(grants: grants, scope: scope) }
}
