import WaymarkCore

extension SQLStore {
    /// Releases and states (issue 13). A second release of a product at an organisation is its
    /// own project, so (organisation, product) is no longer unique; (organisation, product,
    /// release) is. The roll-up indexes gain the state, so live roll-ups stay index-only.
    static let projectLifecycleMigration = Migration(version: 15, name: "project releases, closing and cancelling") { dialect in
        let indexes = [
            "CREATE INDEX project_rollup_cluster ON project (cluster_id, product_code, type, achieved_count, late_mask, state)",
            "CREATE INDEX project_rollup_sha ON project (sha_id, lhc_id, product_code, type, achieved_count, late_mask, state)",
            "CREATE INDEX project_rollup_lhc ON project (lhc_id, trust_id, product_code, type, achieved_count, late_mask, state)",
            "CREATE INDEX project_rollup_trust ON project (trust_id, site_id, product_code, type, achieved_count, late_mask, state)",
        ]
        let listIndexes = [
            "CREATE INDEX project_list_cluster ON project (cluster_id, product_code, stage, id)",
            "CREATE INDEX project_list_sha ON project (sha_id, product_code, stage, id)",
            "CREATE INDEX project_list_lhc ON project (lhc_id, product_code, stage, id)",
            "CREATE INDEX project_list_trust ON project (trust_id, product_code, stage, id)",
            "CREATE INDEX project_product ON project (product_code, stage, id)",
            "CREATE INDEX project_supplier ON project (supplier_id, id)",
        ]
        guard dialect == .sqlite else {
            return [
                "ALTER TABLE project ADD COLUMN release INTEGER NOT NULL DEFAULT 1",
                "ALTER TABLE project ADD COLUMN state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live','closed','cancelled'))",
                "ALTER TABLE project ADD COLUMN state_on INTEGER",
                "ALTER TABLE project ADD COLUMN state_reason TEXT",
                "ALTER TABLE project DROP CONSTRAINT project_organisation_id_product_code_key",
                "CREATE UNIQUE INDEX project_release ON project (organisation_id, product_code, release)",
            ] + ["cluster", "sha", "lhc", "trust"].map { "DROP INDEX project_rollup_\($0)" } + indexes
        }
        // SQLite cannot drop a table constraint, so the table is rebuilt under its own name.
        // Dropping it orphans its children for a moment; with the foreign keys deferred, putting
        // every row back under the same id re-parents them before the commit checks.
        let columns = "id, code, product_code, type, organisation_id, supplier_id, cluster_id, sha_id, lhc_id, trust_id, site_id, "
            + "stage, achieved_count, late_mask, complete, worst_open_slippage, earliest_open_forecast, open_without_forecast, version"
        return [
            "PRAGMA defer_foreign_keys = ON",
            "CREATE TABLE project_before_releases AS SELECT * FROM project",
            "DROP TABLE project",
            """
            CREATE TABLE project (
                id INTEGER PRIMARY KEY,
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
                release INTEGER NOT NULL DEFAULT 1,
                state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live','closed','cancelled')),
                state_on INTEGER,
                state_reason TEXT,
                UNIQUE (organisation_id, product_code, release)
            )
            """,
            "INSERT INTO project (\(columns)) SELECT \(columns) FROM project_before_releases",
            "DROP TABLE project_before_releases",
        ] + indexes + listIndexes
    }
}
