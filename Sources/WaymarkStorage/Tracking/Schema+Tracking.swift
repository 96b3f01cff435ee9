extension Schema {
    /// Risks and issues in registers at every level (issue 4). Each row carries its register
    /// owner's ancestry and supplier, so scope and subtree filters are single conditions, and
    /// derived columns (rating, flag, next action due) so lists, heat maps and overdue views
    /// read indexes rather than recompute.
    static let trackingMigration = Migration(version: 6, name: "risk and issue registers") { _ in
        [
            """
            CREATE TABLE tracking_item (
                id BIGINT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('risk','issue')),
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                organisation_kind TEXT NOT NULL,
                project_id BIGINT REFERENCES project(id),
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                cause TEXT NOT NULL,
                effect TEXT NOT NULL,
                area TEXT NOT NULL,
                priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
                controllability TEXT NOT NULL CHECK (controllability IN ('A','B','C','D')),
                probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
                residual_priority INTEGER CHECK (residual_priority BETWEEN 1 AND 5),
                residual_controllability TEXT CHECK (residual_controllability IN ('A','B','C','D')),
                residual_probability INTEGER CHECK (residual_probability BETWEEN 0 AND 100),
                rating_priority INTEGER NOT NULL,
                rating_controllability TEXT NOT NULL,
                proximity INTEGER,
                owner_name TEXT NOT NULL,
                review_date INTEGER,
                contingency_plan TEXT NOT NULL,
                response TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open','escalated','occurred','closed','returned')),
                occurred_on INTEGER,
                resolution TEXT NOT NULL,
                raised_on INTEGER NOT NULL,
                linked_item_id BIGINT,
                escalated_from_id BIGINT,
                escalated_to_id BIGINT,
                escalation_reason TEXT NOT NULL,
                flagged INTEGER NOT NULL,
                next_action_due INTEGER,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE tracking_action (
                item_id BIGINT NOT NULL REFERENCES tracking_item(id),
                position INTEGER NOT NULL,
                description TEXT NOT NULL,
                owner_name TEXT NOT NULL,
                due INTEGER NOT NULL,
                done INTEGER NOT NULL,
                PRIMARY KEY (item_id, position)
            )
            """,
            // A register's own page: one organisation's (project_id NULL) or one project's.
            "CREATE INDEX tracking_register ON tracking_item (organisation_id, project_id, id)",
            "CREATE INDEX tracking_project ON tracking_item (project_id, id)",
            // Heat maps read only these, already grouped: national, then each level's subtree.
            "CREATE INDEX tracking_heat ON tracking_item (status, kind, rating_priority, rating_controllability, flagged)",
            "CREATE INDEX tracking_heat_cluster ON tracking_item (cluster_id, status, kind, rating_priority, rating_controllability, flagged)",
            "CREATE INDEX tracking_heat_sha ON tracking_item (sha_id, status, kind, rating_priority, rating_controllability, flagged)",
            "CREATE INDEX tracking_heat_lhc ON tracking_item (lhc_id, status, kind, rating_priority, rating_controllability, flagged)",
            "CREATE INDEX tracking_heat_trust ON tracking_item (trust_id, status, kind, rating_priority, rating_controllability, flagged)",
            // Subtree lists page in id order: walking a level's index in id order finds a page of
            // open or overdue records after a few hundred rows, where a (status, date) index
            // would have to sort a whole cluster's matches (110 ms at England scale).
            "CREATE INDEX tracking_list_cluster ON tracking_item (cluster_id, id)",
            "CREATE INDEX tracking_list_sha ON tracking_item (sha_id, id)",
            "CREATE INDEX tracking_list_lhc ON tracking_item (lhc_id, id)",
            "CREATE INDEX tracking_list_trust ON tracking_item (trust_id, id)",
            "CREATE INDEX tracking_supplier ON tracking_item (supplier_id, id)",
            "CREATE INDEX tracking_escalated_from ON tracking_item (escalated_from_id)",
        ]
    }
}
