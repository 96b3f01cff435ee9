import WaymarkCore

/// Users, server-side sessions and API tokens. Changes to users and tokens, and sign-in and
/// sign-out, are audited in the same transaction; a session's last-seen time is bookkeeping.
extension SQLStore {
    static let userColumns = "id, username, display_name, role, organisation_id, password_hash, active, version"

    static func user(from row: SQLRow, prefix p: String = "") -> UserAccount? {
        guard let role = Role(rawValue: row.string(p + "role")) else { return nil }
        return UserAccount(id: row.int(p + "id"), username: row.string(p + "username"), displayName: row.string(p + "display_name"),
                           role: role, organisationID: row.int(p + "organisation_id"), passwordHash: row.string(p + "password_hash"),
                           active: row.int(p + "active") != 0, version: Int(row.int(p + "version")))
    }

    /// Random positive ids, so inserts need no id round trip; the primary key catches a collision.
    static func newID() -> Int64 { Int64.random(in: 1...(1 << 52)) }

    public func addUser(_ user: UserAccount, audit: AuditRecord) async throws -> UserAccount {
        var saved = user
        saved.id = Self.newID()
        saved.version = 1
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([SQLStatement(
            """
            INSERT INTO app_user (id, username, display_name, role, organisation_id, password_hash, active, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (username) DO NOTHING RETURNING id
            """,
            [.integer(saved.id), .text(saved.username), .text(saved.displayName), .text(saved.role.rawValue),
             .integer(saved.organisationID), .text(saved.passwordHash), .integer(saved.active ? 1 : 0)],
            expectedRows: 1, onMismatch: .duplicate)], audit: audit)
        return saved
    }

    public func user(username: String) async throws -> UserAccount? {
        try await database.fetch("SELECT \(Self.userColumns) FROM app_user WHERE username = ?", [.text(username.lowercased())])
            .first.flatMap { Self.user(from: $0) }
    }

    public func user(id: Int64) async throws -> UserAccount? {
        try await database.fetch("SELECT \(Self.userColumns) FROM app_user WHERE id = ?", [.integer(id)])
            .first.flatMap { Self.user(from: $0) }
    }

    public func users(limit: Int) async throws -> [UserAccount] {
        try await database.fetch("SELECT \(Self.userColumns) FROM app_user ORDER BY username LIMIT ?",
                                 [.integer(Int64(max(1, min(limit, 1000))))]).compactMap { Self.user(from: $0) }
    }

    // MARK: Sessions

    public func createSession(_ session: SessionRecord, replacing old: String?, audit: AuditRecord) async throws {
        var statements: [SQLStatement] = []
        if let old { statements.append(SQLStatement("DELETE FROM user_session WHERE secret_hash = ?", [.text(old)])) }
        statements.append(SQLStatement(
            "INSERT INTO user_session (secret_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
            [.text(session.secretHash), .integer(session.userID), .integer(session.createdAt), .integer(session.lastSeenAt)]))
        try await writeAudited(statements, audit: audit)
    }

    public func session(secretHash: String) async throws -> SessionRecord? {
        try await database.fetch("SELECT secret_hash, user_id, created_at, last_seen_at FROM user_session WHERE secret_hash = ?",
                                 [.text(secretHash)]).first.map {
            SessionRecord(secretHash: $0.string("secret_hash"), userID: $0.int("user_id"), createdAt: $0.int("created_at"),
                          lastSeenAt: $0.int("last_seen_at"))
        }
    }

    public func touchSession(secretHash: String, at time: Int64) async throws {
        try await database.write([SQLStatement("UPDATE user_session SET last_seen_at = ? WHERE secret_hash = ?",
                                               [.integer(time), .text(secretHash)])])
    }

    /// Removes a session; with an audit record (sign-out) the removal is audited, without one
    /// (an expired session swept on use) it is bookkeeping.
    public func deleteSession(secretHash: String, audit: AuditRecord?) async throws {
        let statement = SQLStatement("DELETE FROM user_session WHERE secret_hash = ?", [.text(secretHash)])
        if let audit { try await writeAudited([statement], audit: audit) } else { try await database.write([statement]) }
    }

    /// Deletes sessions idle since before `idleCutoff` or created before `ageCutoff`.
    public func deleteExpiredSessions(idleCutoff: Int64, ageCutoff: Int64) async throws {
        try await database.write([SQLStatement("DELETE FROM user_session WHERE last_seen_at < ? OR created_at < ?",
                                               [.integer(idleCutoff), .integer(ageCutoff)])])
    }

    // MARK: API tokens

    static let tokenColumns = "id, user_id, name, secret_hash, scopes, created_at, expires_at, revoked_at, last_used_at"

    static func token(from row: SQLRow, prefix p: String = "") -> APITokenRecord {
        APITokenRecord(id: row.int(p + "id"), userID: row.int(p + "user_id"), name: row.string(p + "name"),
                       secretHash: row.string(p + "secret_hash"), scopes: TokenScope.parseList(row.string(p + "scopes")) ?? [], createdAt: row.int(p + "created_at"),
                       expiresAt: row.int(p + "expires_at"), revokedAt: row.optionalInt(p + "revoked_at"),
                       lastUsedAt: row.optionalInt(p + "last_used_at"))
    }

    public func createToken(_ token: APITokenRecord, audit: AuditRecord) async throws -> APITokenRecord {
        var saved = token
        saved.id = Self.newID()
        var audit = audit
        audit.entityID = saved.id
        try await writeAudited([SQLStatement(
            "INSERT INTO api_token (id, user_id, name, secret_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.integer(saved.id), .integer(saved.userID), .text(saved.name), .text(saved.secretHash), .text(saved.scopeList),
             .integer(saved.createdAt), .integer(saved.expiresAt)])], audit: audit)
        return saved
    }

    public func token(secretHash: String) async throws -> APITokenRecord? {
        try await database.fetch("SELECT \(Self.tokenColumns) FROM api_token WHERE secret_hash = ?", [.text(secretHash)])
            .first.map { Self.token(from: $0) }
    }

    public func tokenHolder(secretHash: String) async throws -> TokenHolder? {
        // The three tables share column names (id, name, version, ...): each is read as `<alias>_<column>`.
        let prefixed = Self.prefixed
        let rows = try await database.fetch(
            """
            SELECT \(prefixed("t", Self.tokenColumns)), \(prefixed("u", Self.userColumns)), \(prefixed("o", Self.organisationColumns))
            FROM api_token t JOIN app_user u ON u.id = t.user_id JOIN organisation o ON o.id = u.organisation_id
            WHERE t.secret_hash = ?
            """, [.text(secretHash)])
        guard let row = rows.first else { return nil }
        guard let user = Self.user(from: row, prefix: "u_") else { return nil }
        return TokenHolder(token: Self.token(from: row, prefix: "t_"), user: user,
                           organisation: Self.organisation(from: row, prefix: "o_"))
    }

    public func tokens(userID: Int64) async throws -> [APITokenRecord] {
        try await database.fetch("SELECT \(Self.tokenColumns) FROM api_token WHERE user_id = ? ORDER BY created_at DESC, id",
                                 [.integer(userID)]).map { Self.token(from: $0) }
    }

    /// Revokes the user's token `id`; a token that is not theirs, or already revoked, is a conflict.
    public func revokeToken(id: Int64, userID: Int64, at time: Int64, audit: AuditRecord) async throws {
        try await writeAudited([SQLStatement(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL RETURNING id",
            [.integer(time), .integer(id), .integer(userID)], expectedRows: 1, onMismatch: .notFound)], audit: audit)
    }

    public func touchToken(id: Int64, at time: Int64) async throws {
        try await database.write([SQLStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?", [.integer(time), .integer(id)])])
    }
}
