extension Schema {
    /// NSI products under document control, stage gates and the hazard log (issue 5). Documents,
    /// gate decisions and hazards carry their project's ancestry and supplier, so scope is one
    /// condition and gate roll-ups read one index per level.
    static let documentsMigration = Migration(version: 9, name: "documents, stage gates, hazard log") { dialect in
        let blob = dialect == .sqlite ? "BLOB" : "BYTEA"
        let owner = """
            project_id BIGINT NOT NULL REFERENCES project(id),
                project_code TEXT NOT NULL,
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT
            """
        let states = "'draft','in-review','approved','issued','superseded','obsolete'"
        return [
            // A project without a row is on the catalogue version it started with (version 1).
            """
            CREATE TABLE project_catalogue (
                project_id BIGINT PRIMARY KEY REFERENCES project(id),
                catalogue_version INTEGER NOT NULL,
                applied_by TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE project_document (
                id BIGINT PRIMARY KEY,
                \(owner),
                product_code TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN (\(states))),
                latest_version INTEGER NOT NULL,
                signed_off_version INTEGER,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1,
                UNIQUE (project_id, product_code)
            )
            """,
            // Gate roll-ups: "N of M projects have a signed PID", per level.
            "CREATE INDEX project_document_cluster ON project_document (cluster_id, product_code, signed_off_version)",
            "CREATE INDEX project_document_sha ON project_document (sha_id, product_code, signed_off_version)",
            "CREATE INDEX project_document_lhc ON project_document (lhc_id, product_code, signed_off_version)",
            "CREATE INDEX project_document_trust ON project_document (trust_id, product_code, signed_off_version)",
            "CREATE INDEX project_document_supplier ON project_document (supplier_id, product_code, signed_off_version)",
            """
            CREATE TABLE document_version (
                id BIGINT PRIMARY KEY,
                document_id BIGINT NOT NULL REFERENCES project_document(id),
                number INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN (\(states))),
                file_name TEXT NOT NULL,
                file_type TEXT NOT NULL CHECK (file_type IN ('pdf','docx','xlsx','odt','markdown')),
                size BIGINT NOT NULL,
                content_hash TEXT NOT NULL,
                author TEXT NOT NULL,
                authored_at TEXT NOT NULL,
                change_summary TEXT NOT NULL,
                approved_by TEXT,
                approver_role TEXT,
                approved_at TEXT,
                approved_hash TEXT,
                UNIQUE (document_id, number)
            )
            """,
            """
            CREATE TABLE document_comment (
                id BIGINT PRIMARY KEY,
                version_id BIGINT NOT NULL REFERENCES document_version(id),
                author TEXT NOT NULL,
                role TEXT,
                at TEXT NOT NULL,
                text TEXT NOT NULL
            )
            """,
            "CREATE INDEX document_comment_version ON document_comment (version_id, id)",
            """
            CREATE TABLE document_file (
                content_hash TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                content \(blob) NOT NULL
            )
            """,
            """
            CREATE TABLE gate_decision (
                id BIGINT PRIMARY KEY,
                \(owner),
                stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 5),
                outcome TEXT NOT NULL CHECK (outcome IN ('passed','passed-with-override')),
                decided_by TEXT NOT NULL,
                role TEXT,
                reason TEXT,
                decided_at TEXT NOT NULL,
                evidence TEXT NOT NULL,
                gaps TEXT NOT NULL,
                UNIQUE (project_id, stage)
            )
            """,
            "CREATE INDEX gate_decision_cluster ON gate_decision (cluster_id, stage, outcome)",
            "CREATE INDEX gate_decision_sha ON gate_decision (sha_id, stage, outcome)",
            "CREATE INDEX gate_decision_lhc ON gate_decision (lhc_id, stage, outcome)",
            "CREATE INDEX gate_decision_trust ON gate_decision (trust_id, stage, outcome)",
            "CREATE INDEX gate_decision_supplier ON gate_decision (supplier_id, stage, outcome)",
            """
            CREATE TABLE hazard (
                id BIGINT PRIMARY KEY,
                \(owner),
                title TEXT NOT NULL,
                cause TEXT NOT NULL,
                effect TEXT NOT NULL,
                harm TEXT NOT NULL,
                initial_severity INTEGER NOT NULL CHECK (initial_severity BETWEEN 1 AND 5),
                initial_likelihood INTEGER NOT NULL CHECK (initial_likelihood BETWEEN 1 AND 5),
                controls TEXT NOT NULL,
                residual_severity INTEGER NOT NULL CHECK (residual_severity BETWEEN 1 AND 5),
                residual_likelihood INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
                status TEXT NOT NULL CHECK (status IN ('open','closed','withdrawn')),
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX hazard_project ON hazard (project_id, id)",
            """
            CREATE TABLE safety_signoff (
                id BIGINT PRIMARY KEY,
                project_id BIGINT NOT NULL REFERENCES project(id),
                signed_by TEXT NOT NULL,
                signed_at TEXT NOT NULL,
                log_hash TEXT NOT NULL,
                statement TEXT NOT NULL
            )
            """,
            "CREATE INDEX safety_signoff_project ON safety_signoff (project_id, id)",
        ]
    }
}
