extension Schema {
    /// Change Review Boards, Change Control Notes, re-baselining and DIPs (issue 4). Rows that
    /// scope reads carry their place's ancestry and supplier, so scope is one indexed condition.
    static let changeControlMigration = Migration(version: 8, name: "change control and DIPs") { _ in
        [
            // Members by username: a seeded board can name people before their accounts exist.
            """
            CREATE TABLE change_board_member (
                cluster_id BIGINT NOT NULL REFERENCES organisation(id),
                username TEXT NOT NULL,
                name TEXT NOT NULL,
                representing TEXT NOT NULL,
                PRIMARY KEY (cluster_id, username)
            )
            """,
            """
            CREATE TABLE change_board_meeting (
                id BIGINT PRIMARY KEY,
                cluster_id BIGINT NOT NULL REFERENCES organisation(id),
                held_on INTEGER NOT NULL,
                minutes TEXT NOT NULL
            )
            """,
            "CREATE INDEX change_board_meeting_cluster ON change_board_meeting (cluster_id, held_on)",
            """
            CREATE TABLE ccn (
                id BIGINT PRIMARY KEY,
                cluster_id BIGINT NOT NULL REFERENCES organisation(id),
                number INTEGER NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('contractual','technical','business')),
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                reason TEXT NOT NULL,
                impact_risk TEXT NOT NULL,
                impact_issues TEXT NOT NULL,
                impact_functionality TEXT NOT NULL,
                impact_cost TEXT NOT NULL,
                cost_pounds BIGINT,
                impact_time TEXT NOT NULL,
                time_days INTEGER,
                state TEXT NOT NULL CHECK (state IN ('raised','under-assessment','at-board','approved','rejected','deferred','implemented')),
                raised_by TEXT NOT NULL,
                raised_on INTEGER NOT NULL,
                raised_at BIGINT NOT NULL REFERENCES organisation(id),
                version BIGINT NOT NULL DEFAULT 1,
                UNIQUE (cluster_id, number)
            )
            """,
            "CREATE INDEX ccn_cluster ON ccn (cluster_id, state, id)",
            // Every place a note touches (where it was raised, each affected project and DIP
            // line): a note is in scope when one of its places is.
            """
            CREATE TABLE ccn_place (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT
            )
            """,
            "CREATE INDEX ccn_place_ccn ON ccn_place (ccn_id)",
            "CREATE INDEX ccn_place_sha ON ccn_place (sha_id, ccn_id)",
            "CREATE INDEX ccn_place_lhc ON ccn_place (lhc_id, ccn_id)",
            "CREATE INDEX ccn_place_trust ON ccn_place (trust_id, ccn_id)",
            "CREATE INDEX ccn_place_site ON ccn_place (site_id, ccn_id)",
            "CREATE INDEX ccn_place_supplier ON ccn_place (supplier_id, ccn_id)",
            """
            CREATE TABLE ccn_project (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                project_id BIGINT NOT NULL REFERENCES project(id),
                PRIMARY KEY (ccn_id, project_id)
            )
            """,
            "CREATE INDEX ccn_project_project ON ccn_project (project_id)",
            """
            CREATE TABLE ccn_milestone (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                project_id BIGINT NOT NULL REFERENCES project(id),
                kind TEXT NOT NULL,
                proposed_baseline INTEGER NOT NULL,
                PRIMARY KEY (ccn_id, project_id, kind)
            )
            """,
            // A line of a DIP, or (line_number NULL) a new line in it; proposals are optional.
            """
            CREATE TABLE ccn_dip_line (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                position INTEGER NOT NULL,
                dip_id BIGINT NOT NULL,
                line_number INTEGER,
                proposed_due INTEGER,
                proposed_organisation_id BIGINT,
                proposed_implementation TEXT,
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT,
                PRIMARY KEY (ccn_id, position)
            )
            """,
            """
            CREATE TABLE ccn_assessment (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                discipline TEXT NOT NULL CHECK (discipline IN ('commercial','technical','programme-controls','quality','senior-sponsor')),
                assessor TEXT NOT NULL,
                recommendation TEXT NOT NULL,
                recorded_on INTEGER NOT NULL,
                PRIMARY KEY (ccn_id, discipline)
            )
            """,
            """
            CREATE TABLE ccn_decision (
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                position INTEGER NOT NULL,
                meeting_id BIGINT NOT NULL REFERENCES change_board_meeting(id),
                outcome TEXT NOT NULL CHECK (outcome IN ('approved','rejected','deferred')),
                reason TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                decided_on INTEGER NOT NULL,
                PRIMARY KEY (ccn_id, position)
            )
            """,
            "CREATE INDEX ccn_decision_meeting ON ccn_decision (meeting_id)",
            // The old baselines an approved CCN replaced: the project page's baseline history.
            """
            CREATE TABLE baseline_change (
                project_id BIGINT NOT NULL REFERENCES project(id),
                kind TEXT NOT NULL,
                ccn_id BIGINT NOT NULL REFERENCES ccn(id),
                from_baseline INTEGER,
                to_baseline INTEGER NOT NULL,
                changed_on INTEGER NOT NULL,
                PRIMARY KEY (project_id, ccn_id, kind)
            )
            """,
            """
            CREATE TABLE dip (
                id BIGINT PRIMARY KEY,
                supplier_id BIGINT NOT NULL REFERENCES organisation(id),
                cluster_id BIGINT NOT NULL REFERENCES organisation(id),
                year INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('draft','agreed')),
                agreed_by TEXT,
                agreed_on INTEGER,
                version BIGINT NOT NULL DEFAULT 1,
                UNIQUE (supplier_id, cluster_id, year)
            )
            """,
            "CREATE INDEX dip_cluster ON dip (cluster_id, year)",
            """
            CREATE TABLE dip_line (
                id BIGINT PRIMARY KEY,
                dip_id BIGINT NOT NULL REFERENCES dip(id),
                number INTEGER NOT NULL,
                year INTEGER NOT NULL,
                product_code TEXT NOT NULL REFERENCES product(code),
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                cluster_id BIGINT, sha_id BIGINT, lhc_id BIGINT, trust_id BIGINT, site_id BIGINT,
                supplier_id BIGINT NOT NULL,
                implementation TEXT NOT NULL CHECK (implementation IN ('new-service','replacement','upgrade')),
                due_milestone TEXT NOT NULL,
                due_day INTEGER NOT NULL,
                removed INTEGER NOT NULL,
                ccn_id BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                UNIQUE (dip_id, number)
            )
            """,
            // The performance view reads one level's lines for one year, already in due order.
            "CREATE INDEX dip_line_cluster ON dip_line (cluster_id, year, removed, due_day)",
            "CREATE INDEX dip_line_sha ON dip_line (sha_id, year, removed, due_day)",
            "CREATE INDEX dip_line_lhc ON dip_line (lhc_id, year, removed, due_day)",
            "CREATE INDEX dip_line_trust ON dip_line (trust_id, year, removed, due_day)",
            "CREATE INDEX dip_line_supplier ON dip_line (supplier_id, year, removed, due_day)",
            """
            CREATE TABLE dip_line_project (
                line_id BIGINT NOT NULL REFERENCES dip_line(id),
                project_id BIGINT NOT NULL REFERENCES project(id),
                PRIMARY KEY (line_id, project_id)
            )
            """,
            "CREATE INDEX dip_line_project_project ON dip_line_project (project_id)",
        ]
    }
}
