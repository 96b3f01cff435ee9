extension Schema {
    /// The Lessons Learned log with full-text search (issue 4). Each lesson carries its source
    /// project's ancestry and supplier, so scope is one condition. The text index is the one
    /// unavoidable dialect difference: SQLite keeps an FTS5 table in step by triggers (so the
    /// seed's plain INSERTs and every later write index themselves in the same transaction);
    /// PostgreSQL keeps a generated, weighted `tsvector` with a GIN index.
    static let lessonsMigration = Migration(version: 7, name: "lessons learned") { dialect in
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY"
        // Title counts most, then tags, then the text; the same weights on both engines.
        let search = dialect == .sqlite ? "" : """
            ,
                search tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags), 'B')
                    || setweight(to_tsvector('english', what_happened), 'C') || setweight(to_tsvector('english', recommendation), 'C')
                ) STORED
            """
        let table = """
            CREATE TABLE lesson (
                id \(id),
                project_id BIGINT NOT NULL REFERENCES project(id),
                project_code TEXT NOT NULL,
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT,
                stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 5),
                area TEXT NOT NULL,
                product_code TEXT NOT NULL REFERENCES product(code),
                title TEXT NOT NULL,
                what_happened TEXT NOT NULL,
                recommendation TEXT NOT NULL,
                tags TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_on INTEGER NOT NULL,
                promoted INTEGER NOT NULL DEFAULT 0 CHECK (promoted IN (0, 1)),
                promoted_by TEXT,
                promoted_on INTEGER,
                version BIGINT NOT NULL DEFAULT 1\(search)
            )
            """
        let indexes = [
            // Relevant lessons for a stage and product: guidance first, then the most recent.
            "CREATE INDEX lesson_relevant ON lesson (stage, product_code, promoted, recorded_on, id)",
            "CREATE INDEX lesson_recent ON lesson (recorded_on, id)",
            "CREATE INDEX lesson_guidance ON lesson (promoted, recorded_on, id)",
            "CREATE INDEX lesson_project ON lesson (project_id)",
            "CREATE INDEX lesson_supplier ON lesson (supplier_id)",
        ]
        switch dialect {
        case .postgres:
            return [table] + indexes + ["CREATE INDEX lesson_search ON lesson USING GIN (search)"]
        case .sqlite:
            let columns = "title, what_happened, recommendation, tags"
            return [table] + indexes + [
                """
                CREATE VIRTUAL TABLE lesson_fts USING fts5(\(columns), content='lesson', content_rowid='id',
                    tokenize='porter unicode61 remove_diacritics 2')
                """,
                """
                CREATE TRIGGER lesson_fts_insert AFTER INSERT ON lesson BEGIN
                    INSERT INTO lesson_fts (rowid, \(columns)) VALUES (new.id, new.title, new.what_happened, new.recommendation, new.tags);
                END
                """,
                """
                CREATE TRIGGER lesson_fts_delete AFTER DELETE ON lesson BEGIN
                    INSERT INTO lesson_fts (lesson_fts, rowid, \(columns)) VALUES ('delete', old.id, old.title, old.what_happened, old.recommendation, old.tags);
                END
                """,
                """
                CREATE TRIGGER lesson_fts_update AFTER UPDATE OF \(columns) ON lesson BEGIN
                    INSERT INTO lesson_fts (lesson_fts, rowid, \(columns)) VALUES ('delete', old.id, old.title, old.what_happened, old.recommendation, old.tags);
                    INSERT INTO lesson_fts (rowid, \(columns)) VALUES (new.id, new.title, new.what_happened, new.recommendation, new.tags);
                END
                """,
            ]
        }
    }
}
