import WaymarkCore

/// User administration (issue 13): scoped user lists, edits, deactivation and reset links.
extension SQLStore {
    static let userAdministrationMigration = Migration(version: 20, name: "user administration") { _ in
        [
            // Only the hash of a reset link's secret is stored, as for sessions and tokens.
            """
            CREATE TABLE password_reset (
                secret_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES app_user(id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
            "CREATE INDEX password_reset_user ON password_reset (user_id)",
            "CREATE INDEX app_user_organisation ON app_user (organisation_id, username)",
        ]
    }

    /// `columns` of table `alias`, read as `<alias>_<column>` where joined tables share names.
    static func prefixed(_ alias: String, _ columns: String) -> String {
        columns.split(separator: ",").map { column in
            let column = column.filter { $0 != " " }
            return "\(alias).\(column) AS \(alias)_\(column)"
        }.joined(separator: ", ")
    }

    static var userListingColumns: String { prefixed("u", userColumns) + ", " + prefixed("o", organisationColumns) }

    static func userListing(from row: SQLRow) -> UserListing? {
        user(from: row, prefix: "u_").map { UserListing(user: $0, organisation: organisation(from: row, prefix: "o_")) }
    }

    public func users(_ query: UserQuery) async throws -> Page<UserListing> {
        let scoped = ScopeSQL.users(query.scope)
        var conditions = [scoped.condition]
        var binds = scoped.binds
        if let id = query.organisationID {
            conditions.append("u.organisation_id = ?")
            binds.append(.integer(id))
        }
        if let role = query.role {
            conditions.append("u.role = ?")
            binds.append(.text(role.rawValue))
        }
        if let text = query.text?.trimmed, !text.isEmpty {
            conditions.append("(u.username LIKE ? ESCAPE '\\' OR lower(u.display_name) LIKE ? ESCAPE '\\')")
            binds += [Self.likePattern(text), Self.likePattern(text)]
        }
        if let after = query.after {
            // Keyset by username: the page goes on after the named user's name.
            conditions.append("u.username > (SELECT username FROM app_user WHERE id = ?)")
            binds.append(.integer(after))
        }
        let limit = max(1, min(query.limit, 500))
        let rows = try await database.fetch(
            "SELECT \(Self.userListingColumns) FROM app_user u JOIN organisation o ON o.id = u.organisation_id"
                + conditions.whereClause + " ORDER BY u.username LIMIT \(limit + 1)", binds).compactMap(Self.userListing)
        return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? rows[limit - 1].user.id : nil)
    }

    public func user(username: String, scope: AccessScope) async throws -> UserListing? {
        let scoped = ScopeSQL.users(scope)
        return try await database.fetch(
            "SELECT \(Self.userListingColumns) FROM app_user u JOIN organisation o ON o.id = u.organisation_id "
                + "WHERE u.username = ? AND \(scoped.condition)", [.text(username.lowercased())] + scoped.binds)
            .first.flatMap(Self.userListing)
    }

    public func takenUsernames(among usernames: [String]) async throws -> Set<String> {
        var taken: Set<String> = []
        for start in stride(from: 0, to: usernames.count, by: 500) {
            let batch = usernames[start..<min(start + 500, usernames.count)]
            let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
            let rows = try await database.fetch("SELECT username FROM app_user WHERE username IN (\(marks))", batch.map { .text($0) })
            taken.formUnion(rows.map { $0.string("username") })
        }
        return taken
    }

    public func addUsers(_ users: [UserAccount], audit: AuditRecord) async throws {
        let statements = users.map { user in
            SQLStatement(
                """
                INSERT INTO app_user (id, username, display_name, role, organisation_id, password_hash, active, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (username) DO NOTHING RETURNING id
                """,
                [.integer(Self.newID()), .text(user.username), .text(user.displayName), .text(user.role.rawValue),
                 .integer(user.organisationID), .text(user.passwordHash), .integer(user.active ? 1 : 0)],
                expectedRows: 1, onMismatch: .duplicate)
        }
        try await writeAudited(statements, audit: audit)
    }

    public func updateUser(_ user: UserAccount, expectedVersion: Int, at time: Int64, audit: AuditRecord) async throws -> UserAccount {
        var statements = [SQLStatement(
            """
            UPDATE app_user SET display_name = ?, role = ?, organisation_id = ?, active = ?, version = version + 1
            WHERE id = ? AND version = ? RETURNING version
            """,
            [.text(user.displayName), .text(user.role.rawValue), .integer(user.organisationID), .integer(user.active ? 1 : 0),
             .integer(user.id), .integer(Int64(expectedVersion))], expectedRows: 1)]
        if !user.active {
            // A deactivated user is stopped at once: every way back in goes in the same transaction.
            statements += [
                SQLStatement("DELETE FROM user_session WHERE user_id = ?", [.integer(user.id)]),
                SQLStatement("UPDATE api_token SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [.integer(time), .integer(user.id)]),
                SQLStatement("DELETE FROM password_reset WHERE user_id = ? AND used_at IS NULL", [.integer(user.id)]),
            ]
        }
        try await writeAudited(statements, audit: audit)
        var saved = user
        saved.version = expectedVersion + 1
        return saved
    }

    public func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditRecord) async throws {
        try await writeAudited([
            SQLStatement("DELETE FROM password_reset WHERE user_id = ? AND used_at IS NULL", [.integer(reset.userID)]),
            SQLStatement("INSERT INTO password_reset (secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         [.text(reset.secretHash), .integer(reset.userID), .integer(reset.createdAt), .integer(reset.expiresAt)]),
        ], audit: audit)
    }

    public func passwordReset(secretHash: String) async throws -> PasswordResetRecord? {
        try await database.fetch("SELECT secret_hash, user_id, created_at, expires_at, used_at FROM password_reset WHERE secret_hash = ?",
                                 [.text(secretHash)]).first.map {
            PasswordResetRecord(secretHash: $0.string("secret_hash"), userID: $0.int("user_id"), createdAt: $0.int("created_at"),
                                expiresAt: $0.int("expires_at"), usedAt: $0.optionalInt("used_at"))
        }
    }

    public func usePasswordReset(secretHash: String, passwordHash: String, at time: Int64, audit: AuditRecord) async throws {
        let owner = "(SELECT user_id FROM password_reset WHERE secret_hash = ?)"
        try await writeAudited([
            // Single use: the link is spent only if it is still unused and unexpired.
            SQLStatement("UPDATE password_reset SET used_at = ? WHERE secret_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
                         [.integer(time), .text(secretHash), .integer(time)], expectedRows: 1, onMismatch: .notFound),
            SQLStatement("UPDATE app_user SET password_hash = ? WHERE id = \(owner) AND active = 1 RETURNING id",
                         [.text(passwordHash), .text(secretHash)], expectedRows: 1, onMismatch: .notFound),
            SQLStatement("DELETE FROM user_session WHERE user_id = \(owner)", [.text(secretHash)]),
        ], audit: audit)
    }
}

extension ScopeSQL {
    /// Users (aliased `u`, joined to their organisation `o`) whose accounts the scope
    /// administers: its own organisations, not suppliers contracted within it.
    static func users(_ scope: AccessScope?) -> ScopeSQL {
        switch scope {
        case nil: denyAll
        case .national: ScopeSQL(condition: "1 = 1", binds: [])
        case .subtree(let kind, let id):
            SQLStore.ancestryColumn(kind).map { ScopeSQL(condition: "o.\($0) = ?", binds: [.integer(id)]) } ?? denyAll
        case .supplier(let id): ScopeSQL(condition: "o.id = ?", binds: [.integer(id)])
        }
    }
}
