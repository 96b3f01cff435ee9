/// A person who signs in. Their role and home organisation give their scope (`AccessScope.of`).
public struct UserAccount: Hashable, Sendable, Codable {
    public var id: Int64
    /// Lower-case sign-in name, unique.
    public var username: String
    public var displayName: String
    public var role: Role
    public var organisationID: Int64
    /// bcrypt hash; never leaves the service layer.
    public var passwordHash: String
    public var active: Bool
    public var version: Int

    public init(id: Int64 = 0, username: String, displayName: String, role: Role, organisationID: Int64,
                passwordHash: String, active: Bool = true, version: Int = 1) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.organisationID = organisationID
        self.passwordHash = passwordHash
        self.active = active
        self.version = version
    }

    /// Sign-in names are 3 to 64 characters of a-z, 0-9, '.', '-' and '_', compared in lower case.
    public static func normalisedUsername(_ raw: String) -> String? {
        let name = raw.lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
        guard (3...64).contains(name.count), name.allSatisfy(allowed.contains) else { return nil }
        return name
    }
}

/// What an API token may be used for; a token never grants more than its user's role.
public enum TokenScope: String, CaseIterable, Sendable, Codable {
    /// Read records, roll-ups, exports and (for roles that permit it) the audit trail.
    case read
    /// Record milestone dates, edit plans and registers, and (for roles that permit it) change
    /// control and user administration.
    case write

    public var activities: Set<Activity> {
        switch self {
        case .read: [.viewRecords, .exportRecords, .viewAudit, .viewStaff]
        case .write: [.recordMilestones, .editPlans, .recordRisks, .promoteLessons, .manageChanges, .decideChanges, .manageDIP,
                       .manageDocuments, .approveDocuments, .decideGates, .recordHazards, .signSafetyCase, .manageOrganisations, .manageUsers, .recordReadiness,
                       .manageStaff, .registerUsers, .sponsorAccess, .overrideProficiency, .manageTraining, .recordTraining]
        }
    }

    /// Parses "read,write" style lists; nil when a scope is unknown or none is given.
    public static func parseList(_ text: String) -> Set<TokenScope>? {
        let parts = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        let scopes = parts.compactMap(TokenScope.init(rawValue:))
        guard !parts.isEmpty, scopes.count == parts.count else { return nil }
        return Set(scopes)
    }
}

/// A server-side session: the cookie carries a random secret and the database keeps its hash.
public struct SessionRecord: Hashable, Sendable {
    public var secretHash: String
    public var userID: Int64
    /// Seconds since 1970.
    public var createdAt: Int64
    public var lastSeenAt: Int64

    public init(secretHash: String, userID: Int64, createdAt: Int64, lastSeenAt: Int64) {
        self.secretHash = secretHash
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// A one-time password-reset link: the secret is in the link, the database keeps its hash.
public struct PasswordResetRecord: Hashable, Sendable {
    public var secretHash: String
    public var userID: Int64
    /// Seconds since 1970.
    public var createdAt: Int64
    public var expiresAt: Int64
    public var usedAt: Int64?

    public init(secretHash: String, userID: Int64, createdAt: Int64, expiresAt: Int64, usedAt: Int64? = nil) {
        self.secretHash = secretHash
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    public func isUsable(at now: Int64) -> Bool { usedAt == nil && now < expiresAt }
}

/// An API bearer token, stored as a hash with its scopes and expiry.
public struct APITokenRecord: Hashable, Sendable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    public var secretHash: String
    public var scopes: Set<TokenScope>
    /// Seconds since 1970.
    public var createdAt: Int64
    public var expiresAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?

    public init(id: Int64 = 0, userID: Int64, name: String, secretHash: String, scopes: Set<TokenScope>,
                createdAt: Int64, expiresAt: Int64, revokedAt: Int64? = nil, lastUsedAt: Int64? = nil) {
        self.id = id
        self.userID = userID
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    public func isUsable(at now: Int64) -> Bool { revokedAt == nil && now < expiresAt }

    /// Scopes in a stable order, for storage and display.
    public var scopeList: String { TokenScope.allCases.filter(scopes.contains).map(\.rawValue).joined(separator: ",") }
}
