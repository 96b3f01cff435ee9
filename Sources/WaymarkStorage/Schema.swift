import Foundation
import WaymarkCore

/// A numbered schema change. Statements run in one transaction with the version's bookkeeping.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: @Sendable (SQLDialect) -> [String]
}

/// Waymark's schema, in order. Never edit a released migration: add a new one.
/// Dates are day ordinals (INTEGER); ids are 64-bit.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "organisations, products, projects, milestones, audit") { dialect in
            let id = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY"
            let auditID = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
            return [
                """
                CREATE TABLE organisation (
                    id \(id),
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('national','cluster','sha','lhc','trust','site','supplier')),
                    subtype TEXT,
                    parent_id BIGINT REFERENCES organisation(id),
                    supplier_role TEXT CHECK (supplier_role IN ('lsp','nasp','nisp','esp')),
                    cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                    version BIGINT NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX organisation_parent ON organisation (parent_id, name)",
                "CREATE INDEX organisation_kind ON organisation (kind, name)",
                """
                CREATE TABLE supplier_coverage (
                    supplier_id BIGINT NOT NULL REFERENCES organisation(id),
                    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                    PRIMARY KEY (supplier_id, organisation_id)
                )
                """,
                """
                CREATE TABLE product (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    default_type TEXT NOT NULL,
                    crs_related INTEGER NOT NULL,
                    prerequisites TEXT NOT NULL,
                    version BIGINT NOT NULL DEFAULT 1
                )
                """,
            ] + ProductCatalogue.all.map { p in
                "INSERT INTO product (code, name, summary, default_type, crs_related, prerequisites) VALUES ("
                    + [p.code, p.name, p.summary, p.defaultType.rawValue].map(literal).joined(separator: ", ")
                    + ", \(p.crsRelated ? 1 : 0), \(literal(p.prerequisites.joined(separator: " "))))"
            } + [
                """
                CREATE TABLE project (
                    id \(id),
                    code TEXT NOT NULL UNIQUE,
                    product_code TEXT NOT NULL REFERENCES product(code),
                    type TEXT NOT NULL CHECK (type IN ('lsp','esp')),
                    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                    supplier_id BIGINT REFERENCES organisation(id),
                    cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                    stage INTEGER NOT NULL,
                    achieved_count INTEGER NOT NULL,
                    late_mask INTEGER NOT NULL,
                    complete INTEGER NOT NULL,
                    worst_open_slippage INTEGER,
                    earliest_open_forecast INTEGER,
                    open_without_forecast INTEGER NOT NULL,
                    version BIGINT NOT NULL DEFAULT 1,
                    UNIQUE (organisation_id, product_code)
                )
                """,
                // Covering indexes: each roll-up level reads only its index, already grouped.
                "CREATE INDEX project_rollup_cluster ON project (cluster_id, product_code, type, achieved_count, late_mask)",
                "CREATE INDEX project_rollup_sha ON project (sha_id, lhc_id, product_code, type, achieved_count, late_mask)",
                "CREATE INDEX project_rollup_lhc ON project (lhc_id, trust_id, product_code, type, achieved_count, late_mask)",
                "CREATE INDEX project_rollup_trust ON project (trust_id, site_id, product_code, type, achieved_count, late_mask)",
                // Filtered lists page in id order: a "within X, product P, stage S" page reads
                // exactly the rows it returns instead of scanning the product nationally.
                "CREATE INDEX project_list_cluster ON project (cluster_id, product_code, stage, id)",
                "CREATE INDEX project_list_sha ON project (sha_id, product_code, stage, id)",
                "CREATE INDEX project_list_lhc ON project (lhc_id, product_code, stage, id)",
                "CREATE INDEX project_list_trust ON project (trust_id, product_code, stage, id)",
                "CREATE INDEX project_product ON project (product_code, stage, id)",
                "CREATE INDEX project_supplier ON project (supplier_id, id)",
                """
                CREATE TABLE milestone (
                    project_id BIGINT NOT NULL REFERENCES project(id),
                    kind TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    baseline INTEGER,
                    forecast INTEGER,
                    actual INTEGER,
                    version BIGINT NOT NULL DEFAULT 1,
                    PRIMARY KEY (project_id, kind)
                )
                """,
                """
                CREATE TABLE audit_entry (
                    id \(auditID),
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    origin TEXT,
                    action TEXT NOT NULL,
                    entity_type TEXT NOT NULL,
                    entity_id BIGINT NOT NULL,
                    before_state TEXT,
                    after_state TEXT
                )
                """,
                "CREATE INDEX audit_entry_entity ON audit_entry (entity_type, entity_id, id)",
            ]
        },
        Migration(version: 2, name: "tamper-evident audit chain") { dialect in
            [
                "ALTER TABLE audit_entry ADD COLUMN previous_hash TEXT",
                "ALTER TABLE audit_entry ADD COLUMN hash TEXT",
                // One row that every append moves on, so concurrent writers serialise on it.
                """
                CREATE TABLE audit_chain_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last_hash TEXT NOT NULL,
                    entries BIGINT NOT NULL
                )
                """,
                "INSERT INTO audit_chain_head (id, last_hash, entries) VALUES (1, '\(AuditChain.genesis)', 0)",
            ] + AuditChain.appendOnlyTriggers(dialect)
        },
        Migration(version: 3, name: "users, sessions, API tokens") { _ in
            [
                """
                CREATE TABLE app_user (
                    id BIGINT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                    password_hash TEXT NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1,
                    version BIGINT NOT NULL DEFAULT 1
                )
                """,
                // Only hashes of session and token secrets are stored, so a database leak
                // gives no usable credential.
                """
                CREATE TABLE user_session (
                    secret_hash TEXT PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES app_user(id),
                    created_at BIGINT NOT NULL,
                    last_seen_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX user_session_user ON user_session (user_id)",
                """
                CREATE TABLE api_token (
                    id BIGINT PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES app_user(id),
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    last_used_at BIGINT
                )
                """,
                "CREATE INDEX api_token_user ON api_token (user_id, id)",
                "CREATE INDEX audit_entry_actor ON audit_entry (actor, id)",
            ]
        },
        Migration(version: 4, name: "project plans and baselines") { _ in
            [
                // One plan per implementation project; the calendar's exceptions are JSON.
                """
                CREATE TABLE plan (
                    project_id BIGINT PRIMARY KEY REFERENCES project(id),
                    start_day INTEGER NOT NULL,
                    calendar TEXT NOT NULL,
                    version BIGINT NOT NULL DEFAULT 1
                )
                """,
                """
                CREATE TABLE plan_task (
                    project_id BIGINT NOT NULL REFERENCES plan(project_id),
                    task_id INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    wbs TEXT NOT NULL,
                    name TEXT NOT NULL,
                    duration INTEGER NOT NULL CHECK (duration >= 0),
                    summary INTEGER NOT NULL,
                    constraint_kind TEXT,
                    constraint_day INTEGER,
                    nsi_milestone TEXT,
                    PRIMARY KEY (project_id, task_id)
                )
                """,
                """
                CREATE TABLE plan_dependency (
                    project_id BIGINT NOT NULL REFERENCES plan(project_id),
                    position INTEGER NOT NULL,
                    successor_id INTEGER NOT NULL,
                    predecessor_project TEXT,
                    predecessor_id INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('FS','SS','FF','SF')),
                    lag INTEGER NOT NULL,
                    PRIMARY KEY (project_id, position)
                )
                """,
                // Other plans that depend on a project's tasks, for cross-project views.
                "CREATE INDEX plan_dependency_external ON plan_dependency (predecessor_project)",
                """
                CREATE TABLE plan_baseline (
                    id BIGINT PRIMARY KEY,
                    project_id BIGINT NOT NULL REFERENCES plan(project_id),
                    name TEXT NOT NULL,
                    saved_at TEXT NOT NULL,
                    UNIQUE (project_id, name)
                )
                """,
                """
                CREATE TABLE plan_baseline_task (
                    baseline_id BIGINT NOT NULL REFERENCES plan_baseline(id),
                    task_id INTEGER NOT NULL,
                    start_day INTEGER NOT NULL,
                    finish_day INTEGER NOT NULL,
                    duration INTEGER NOT NULL,
                    PRIMARY KEY (baseline_id, task_id)
                )
                """,
            ]
        },
        Migration(version: 5, name: "organisation calendar exceptions") { _ in
            [
                // A day an organisation (and everything below it) does not work, or works
                // although it is a weekend or bank holiday.
                """
                CREATE TABLE calendar_exception (
                    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                    day INTEGER NOT NULL,
                    working INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    PRIMARY KEY (organisation_id, day)
                )
                """,
            ]
        },
        // Issue 4, each area in its own file.
        trackingMigration,
        lessonsMigration,
        changeControlMigration,
        documentsMigration,
        // Issue 12.
        SQLStore.sequenceMigration,
        SQLStore.seedMigration,
        SQLStore.idempotencyMigration,
        // Issue 13.
        SQLStore.organisationsMigration,
        SQLStore.contractsMigration,
        SQLStore.projectLifecycleMigration,
        SQLStore.rollOutMigration,
        // Issue 13, users (numbered 20 to leave room for migrations made meanwhile on main).
        SQLStore.userAdministrationMigration,
        // Issue 14.
        SQLStore.dataQualityMigration,
        SQLStore.surveysMigration,
        SQLStore.surveyOverallMigration,
        SQLStore.readinessReportMigration,
        SQLStore.goLiveChecklistMigration,
        SQLStore.goLivePolicyMigration,
        SQLStore.goingLiveMigration,
        SQLStore.readinessFactsMigration,
        SQLStore.peopleMigration,
    ]

    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

/// Applies missing migrations in order, each in its own transaction with its bookkeeping row.
public struct SQLMigrator: Sendable {
    public var database: any SQLDatabase
    public init(database: any SQLDatabase) { self.database = database }

    /// Returns the versions applied by this call.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await database.write([SQLStatement(
            "CREATE TABLE IF NOT EXISTS waymark_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL)")])
        let applied = Set(try await database.fetch("SELECT version FROM waymark_migration", []).map { Int($0.int("version")) })
        var ran: [Int] = []
        for migration in Schema.migrations where !applied.contains(migration.version) {
            let statements = migration.statements(database.dialect).map { SQLStatement($0) }
                + [SQLStatement("INSERT INTO waymark_migration (version, name) VALUES (?, ?)",
                                [.integer(Int64(migration.version)), .text(migration.name)])]
            try await database.write(statements)
            ran.append(migration.version)
        }
        return ran
    }

    public func pendingVersions() async throws -> [Int] {
        let exists = try await database.fetch(
            database.dialect == .sqlite
                ? "SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'waymark_migration'"
                : "SELECT count(*) AS found FROM information_schema.tables WHERE table_name = 'waymark_migration'", [])
        let applied: Set<Int> = exists.first?.int("found") == 0 ? [] :
            Set(try await database.fetch("SELECT version FROM waymark_migration", []).map { Int($0.int("version")) })
        return Schema.migrations.map(\.version).filter { !applied.contains($0) }
    }
}
