import Foundation
import Logging
import WaymarkCore
import WaymarkStorage

/// Users, sign-in, server-side sessions and API tokens. Turns a credential into an
/// `ActingUser`; what that user may then do is decided by `AccessGate.authorise`.
public struct AccountService: Sendable {
    public struct Configuration: Sendable {
        /// A session unused for this long is ended.
        public var idleTimeout: Int64 = 30 * 60
        /// No session outlives this, however active.
        public var absoluteLifetime: Int64 = 12 * 60 * 60
        public var maximumTokenDays = 365
        /// How long a node reuses a token lookup. Revoking on the same node takes effect at
        /// once; on other nodes within this many seconds.
        public var tokenCacheSeconds: Int64 = 5
        /// How long a password-reset link works (it works once).
        public var resetLinkLifetime: Int64 = 24 * 60 * 60
        public var limits = AbuseLimitRules()
        public init() {}
    }

    public let store: any WaymarkStore
    public let clock: WaymarkClock
    public let hasher: PasswordHasher
    public let configuration: Configuration
    let limits: AbuseLimits
    let tokenCache = TokenCache()
    let contractsInForce = ContractsInForce()

    public init(store: any WaymarkStore, clock: WaymarkClock = WaymarkClock(), hasher: PasswordHasher = PasswordHasher(),
                configuration: Configuration = Configuration()) {
        self.store = store
        self.clock = clock
        self.hasher = hasher
        self.configuration = configuration
        self.limits = AbuseLimits(configuration.limits)
    }

    var now: Int64 { Int64(clock.now().timeIntervalSince1970) }

    static let logger = Logger(label: "waymark.accounts")

    /// Bookkeeping (when a session or token was last used) must never fail the request it
    /// rides on: a read-only or full database still answers reads. The cause is logged.
    static func bestEffort(_ what: String, _ write: () async throws -> Void) async {
        do {
            try await write()
        } catch {
            logger.warning("could not \(what); the request goes on", metadata: ["cause": "\(Self.describe(error))"])
        }
    }

    /// A storage error's own message (never a statement's bound values), else the error's type.
    static func describe(_ error: any Error) -> String {
        (error as? StorageError)?.message ?? String(describing: type(of: error))
    }

    func audit(_ action: String, actor: String, origin: String, entityType: String = "user", entityID: Int64,
               before: String? = nil, after: String? = nil) -> AuditRecord {
        AuditRecord(at: clock.timestamp, actor: actor, origin: origin, action: action, entityType: entityType,
                    entityID: entityID, before: before, after: after)
    }

    /// The acting user for an account, with the scope of its role at its organisation.
    public func actingUser(_ account: UserAccount, origin: String, tokenScopes: Set<TokenScope>? = nil,
                           tokenID: Int64? = nil) async throws -> ActingUser {
        guard let organisation = try await store.organisation(id: account.organisationID, scope: .national) else {
            return .anonymous(origin: origin)
        }
        // Scope is cut from project suppliers, so they must reflect today's contracts first.
        await Self.bestEffort("bring project suppliers up to today's contracts") {
            try await contractsInForce.bringUpToDate(store: store, clock: clock)
        }
        return .signedIn(account, at: organisation, origin: origin, tokenScopes: tokenScopes, tokenID: tokenID)
    }

    /// The user's own organisation, for their account page.
    public func homeOrganisation(of user: ActingUser) async throws -> Organisation? {
        guard let account = user.account else { return nil }
        return try await store.organisation(id: account.organisationID, scope: .national)
    }

    // MARK: Users

    /// Adds a user with a password (the command line, benchmarks), through the same checks as
    /// the users page: see `UserAdministration.create`.
    public func addUser(username rawName: String, displayName: String, role: Role, organisationCode: String,
                        password: String, as actor: ActingUser) async throws -> UserAccount {
        try await UserAdministration(accounts: self).create(
            UserChange(username: rawName, name: displayName, role: role.rawValue, organisation: organisationCode),
            password: password, as: actor).user
    }

    /// Adds users that share one password hash (demo users), hashing once.
    public func addUsers(_ users: [(username: String, displayName: String, role: Role, organisationCode: String)],
                         password: String, as actor: ActingUser) async throws {
        let hash = await hasher.hash(password)
        for user in users {
            guard let organisation = try await store.organisation(code: user.organisationCode, scope: .national) else { continue }
            let account = UserAccount(username: user.username, displayName: user.displayName, role: user.role,
                                      organisationID: organisation.id, passwordHash: hash)
            _ = try await store.addUser(account, audit: audit("add user", actor: actor.name, origin: actor.origin, entityID: 0,
                                                              after: "{\"role\":\"\(user.role.rawValue)\",\"username\":\"\(user.username)\"}"))
        }
    }

    // MARK: Sign-in and sessions

    public struct SignedIn: Sendable {
        /// The new session's secret, for the cookie; only its hash is stored.
        public var sessionSecret: String
        public var user: ActingUser
    }

    /// Checks the password and opens a new session, replacing `previousSecret` (sessions rotate
    /// at sign-in). Every attempt is audited. Failures earn this account-and-address pair a
    /// growing wait and spend the address's budget; while either applies, attempts are refused
    /// without checking the password. Other addresses are never held up by them.
    public func signIn(username rawName: String, password: String, origin: String,
                       previousSecret: String? = nil) async throws -> SignedIn {
        let username = UserAccount.normalisedUsername(rawName)
        let key = username ?? "(invalid)"
        let now = self.now
        if case .limited(let wait) = limits.signInDecision(account: key, origin: origin, now: now) {
            try await store.recordAudit(audit("sign in refused: too many attempts", actor: key, origin: origin, entityID: 0))
            throw ServiceError(.tooManyRequests, "Too many sign-in attempts. Try again in \(Self.minutes(wait)).", retryAfter: wait)
        }
        let account = try await username.asyncFlatMap { try await store.user(username: $0) }
        // A user with no password yet is checked against the decoy too, so timing tells nothing.
        let hash = account.map(\.passwordHash).flatMap { $0.hasPrefix("$2") ? $0 : nil } ?? PasswordHasher.decoy
        let passwordMatches = await hasher.verify(password, hash: hash) && account?.passwordHash == hash
        guard let account, account.active, passwordMatches else {
            limits.signInFailed(account: key, origin: origin, now: now)
            try await store.recordAudit(audit("sign in failed", actor: key, origin: origin, entityID: account?.id ?? 0))
            throw ServiceError(.unauthorised, "The username or password is not right.")
        }
        limits.signInSucceeded(account: key, origin: origin)
        let secret = Secrets.generate()
        try await store.createSession(SessionRecord(secretHash: Secrets.hash(secret), userID: account.id, createdAt: now, lastSeenAt: now),
                                      replacing: previousSecret.map(Secrets.hash),
                                      audit: audit("sign in", actor: account.username, origin: origin, entityID: account.id))
        return SignedIn(sessionSecret: secret, user: try await actingUser(account, origin: origin))
    }

    /// The user a session cookie belongs to, or nil when it is unknown, idle too long or too old
    /// (an expired session is deleted).
    public func user(sessionSecret: String, origin: String) async throws -> ActingUser? {
        let hash = Secrets.hash(sessionSecret)
        guard let session = try await store.session(secretHash: hash) else { return nil }
        let now = self.now
        guard now - session.lastSeenAt < configuration.idleTimeout, now - session.createdAt < configuration.absoluteLifetime,
              let account = try await store.user(id: session.userID), account.active else {
            await Self.bestEffort("delete an expired session") { try await store.deleteSession(secretHash: hash, audit: nil) }
            return nil
        }
        // Written at most once a minute: the idle clock needs no finer grain.
        if now - session.lastSeenAt >= 60 {
            await Self.bestEffort("record a session's last use") { try await store.touchSession(secretHash: hash, at: now) }
        }
        return try await actingUser(account, origin: origin)
    }

    public func signOut(sessionSecret: String, as user: ActingUser) async throws {
        try await store.deleteSession(secretHash: Secrets.hash(sessionSecret),
                                      audit: audit("sign out", actor: user.name, origin: user.origin, entityID: user.account?.id ?? 0))
    }

    // MARK: API tokens

    public struct CreatedToken: Sendable {
        /// Shown once; only its hash is stored.
        public var secret: String
        public var record: APITokenRecord
    }

    /// Creates a token for `user` (their own), with scopes and an expiry in days.
    public func createToken(name rawName: String, scopes: Set<TokenScope>, days: Int, for user: ActingUser) async throws -> CreatedToken {
        guard let account = user.account, user.tokenID == nil else {
            throw ServiceError(.forbidden, "Tokens are created by a signed-in user in the web app or with `waymark token create`, not with another token.")
        }
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw ServiceError(.refused, "Give the token a name (up to 100 characters) that says what uses it.") }
        guard !scopes.isEmpty else { throw ServiceError(.refused, "Choose at least one scope: read or write.") }
        guard (1...configuration.maximumTokenDays).contains(days) else {
            throw ServiceError(.refused, "A token lasts 1 to \(configuration.maximumTokenDays) days.")
        }
        let secret = Secrets.generate(prefix: Secrets.tokenPrefix)
        let now = self.now
        let record = APITokenRecord(userID: account.id, name: name, secretHash: Secrets.hash(secret), scopes: scopes,
                                    createdAt: now, expiresAt: now + Int64(days) * 86_400)
        let saved = try await store.createToken(record, audit: audit(
            "create API token", actor: user.name, origin: user.origin, entityType: "api_token", entityID: 0,
            after: "{\"expires\":\(record.expiresAt),\"name\":\"\(Self.jsonEscaped(name))\",\"scopes\":\"\(record.scopeList)\"}"))
        return CreatedToken(secret: secret, record: saved)
    }

    public func tokens(for user: ActingUser) async throws -> [APITokenRecord] {
        guard let account = user.account else { return [] }
        return try await store.tokens(userID: account.id)
    }

    public func revokeToken(id: Int64, as user: ActingUser) async throws {
        guard let account = user.account else { throw ServiceError(.forbidden, "Sign in to manage your tokens.") }
        do {
            try await store.revokeToken(id: id, userID: account.id, at: now, audit: audit(
                "revoke API token", actor: user.name, origin: user.origin, entityType: "api_token", entityID: id))
            tokenCache.forget(tokenID: id)
        } catch let error as StorageError where error.code == .notFound {
            throw ServiceError(.notFound, "You have no active token with id \(id).")
        }
    }

    /// The user behind a bearer token. Unknown, expired and revoked tokens are refused and
    /// counted per address; past that address's budget they get 429 (and are no longer
    /// audited one by one). A valid token is never held up by them. Each token is limited to a
    /// number of requests a minute.
    public func user(bearerToken: String, origin: String) async throws -> ActingUser {
        let now = self.now
        let holder = try await tokenHolder(bearerToken, now: now)
        guard let holder, holder.token.isUsable(at: now), holder.user.active else {
            if case .limited(let wait) = limits.badToken(origin: origin, now: now) {
                throw ServiceError(.tooManyRequests, "Too many requests with invalid tokens from this address.", retryAfter: wait)
            }
            try await store.recordAudit(audit("API token refused", actor: "anonymous", origin: origin, entityType: "api_token", entityID: 0))
            throw ServiceError(.unauthorised, "The API token is not valid: it is unknown, expired or revoked.")
        }
        let token = holder.token
        if case .limited(let wait) = limits.tokenDecision(tokenID: token.id, now: now) {
            throw ServiceError(.tooManyRequests, "This token has made too many requests; slow down.", retryAfter: wait)
        }
        if now - (token.lastUsedAt ?? 0) >= 300 {
            await Self.bestEffort("record a token's last use") { try await store.touchToken(id: token.id, at: now) }
            tokenCache.forget(tokenID: token.id)
        }
        return .signedIn(holder.user, at: holder.organisation, origin: origin, tokenScopes: token.scopes, tokenID: token.id)
    }

    /// The token, its user and organisation: one joined read, reused for a few seconds because
    /// every API call needs it.
    private func tokenHolder(_ secret: String, now: Int64) async throws -> TokenHolder? {
        guard secret.hasPrefix(Secrets.tokenPrefix), secret.utf8.count < 200 else { return nil }
        let hash = Secrets.hash(secret)
        if let cached = tokenCache.holder(hash, now: now, maximumAge: configuration.tokenCacheSeconds) { return cached }
        guard let holder = try await store.tokenHolder(secretHash: hash) else { return nil }
        tokenCache.keep(holder, hash: hash, now: now)
        return holder
    }

    static func minutes(_ seconds: Int64) -> String {
        seconds == 1 ? "1 second" : seconds < 60 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }

    static func jsonEscaped(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}

/// Recent token lookups on this node, bounded in size, behind a lock (see `AbuseLimits`).
final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (holder: TokenHolder, fetched: Int64)] = [:]

    func holder(_ hash: String, now: Int64, maximumAge: Int64) -> TokenHolder? {
        lock.withLock {
            guard let entry = entries[hash], now - entry.fetched < maximumAge else { return nil }
            return entry.holder
        }
    }

    func keep(_ holder: TokenHolder, hash: String, now: Int64) {
        lock.withLock {
            if entries.count >= 10_000 { entries.removeAll(keepingCapacity: true) }
            entries[hash] = (holder, now)
        }
    }

    func forget(tokenID: Int64) { lock.withLock { entries = entries.filter { $0.value.holder.token.id != tokenID } } }

    /// Every cached token of one user, after their role changed or they were deactivated.
    func forget(userID: Int64) { lock.withLock { entries = entries.filter { $0.value.holder.user.id != userID } } }
}

extension Optional {
    public func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
