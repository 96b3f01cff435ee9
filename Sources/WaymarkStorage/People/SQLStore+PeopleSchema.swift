import WaymarkCore

/// The people tables (issue 15): staff, RA registrations and smartcards, training, and each
/// site's funnel counts. See docs/design/people.md.
extension SQLStore {
    static let peopleMigration = Migration(version: 29, name: "staff, registration, training") { _ in
        [
            """
            CREATE TABLE staff (
                id BIGINT PRIMARY KEY,
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                staff_number TEXT,
                name TEXT NOT NULL,
                job_role TEXT NOT NULL,
                site_id BIGINT NOT NULL REFERENCES organisation(id),
                waymark_user TEXT,
                version BIGINT NOT NULL CHECK (version >= 1),
                needs_access INTEGER NOT NULL DEFAULT 0,
                registered INTEGER NOT NULL DEFAULT 0,
                card_issued INTEGER NOT NULL DEFAULT 0,
                trained INTEGER NOT NULL DEFAULT 0,
                proficient INTEGER NOT NULL DEFAULT 0,
                granted INTEGER NOT NULL DEFAULT 0,
                overridden INTEGER NOT NULL DEFAULT 0,
                refresher_due INTEGER NOT NULL DEFAULT 0,
                ready_on INTEGER,
                UNIQUE (organisation_id, staff_number)
            )
            """,
            "CREATE INDEX staff_main_site ON staff (site_id, ready_on)",
            "CREATE INDEX staff_employer ON staff (organisation_id, job_role)",
            """
            CREATE TABLE staff_site (
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                PRIMARY KEY (staff_id, organisation_id)
            )
            """,
            "CREATE INDEX staff_site_organisation ON staff_site (organisation_id)",
            """
            CREATE TABLE registration (
                id BIGINT PRIMARY KEY,
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                ra_organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                status TEXT NOT NULL CHECK (status IN ('applied','identity-checked','approved','card-issued','granted')),
                applied_on INTEGER NOT NULL,
                applied_by TEXT NOT NULL,
                identity_documents TEXT NOT NULL DEFAULT '',
                identity_checked_by TEXT,
                identity_checked_on INTEGER,
                profile TEXT NOT NULL DEFAULT '',
                products TEXT NOT NULL DEFAULT '',
                catalogue_version INTEGER,
                approved_by TEXT,
                approved_on INTEGER,
                granted_by TEXT,
                granted_on INTEGER,
                lead_days INTEGER,
                override_reason TEXT,
                version BIGINT NOT NULL CHECK (version >= 1)
            )
            """,
            "CREATE INDEX registration_staff ON registration (staff_id, id)",
            "CREATE INDEX registration_ra ON registration (ra_organisation_id, status, id)",
            "CREATE INDEX registration_lead ON registration (ra_organisation_id, lead_days)",
            """
            CREATE TABLE smartcard (
                uuid TEXT PRIMARY KEY,
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                registration_id BIGINT NOT NULL REFERENCES registration(id),
                issued_on INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active','suspended','lost','cancelled','renewed')),
                status_on INTEGER NOT NULL,
                replaces TEXT
            )
            """,
            "CREATE INDEX smartcard_staff ON smartcard (staff_id)",
            """
            CREATE TABLE ra_equipment (
                organisation_id BIGINT PRIMARY KEY REFERENCES organisation(id),
                kits INTEGER NOT NULL CHECK (kits >= 0),
                identity_agents INTEGER NOT NULL CHECK (identity_agents >= 0),
                version BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE course (
                code TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                mode TEXT NOT NULL CHECK (mode IN ('e-learning','classroom','desk-side')),
                requires_basic_skills INTEGER NOT NULL,
                valid_days INTEGER,
                version BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE training_need (
                project_id BIGINT NOT NULL REFERENCES project(id),
                job_role TEXT NOT NULL,
                course_code TEXT NOT NULL REFERENCES course(code),
                PRIMARY KEY (project_id, job_role, course_code)
            )
            """,
            """
            CREATE TABLE trainer_qualification (
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                course_code TEXT NOT NULL REFERENCES course(code),
                qualified_on INTEGER NOT NULL,
                PRIMARY KEY (staff_id, course_code)
            )
            """,
            """
            CREATE TABLE training_session (
                id BIGINT PRIMARY KEY,
                course_code TEXT NOT NULL REFERENCES course(code),
                organisation_id BIGINT NOT NULL REFERENCES organisation(id),
                venue TEXT NOT NULL,
                on_day INTEGER NOT NULL,
                trainer_id BIGINT NOT NULL REFERENCES staff(id),
                capacity INTEGER NOT NULL CHECK (capacity >= 1),
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX training_session_site ON training_session (organisation_id, on_day)",
            """
            CREATE TABLE booking (
                session_id BIGINT NOT NULL REFERENCES training_session(id),
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                status TEXT NOT NULL CHECK (status IN ('booked','waiting','attended','absent','cancelled')),
                booked_at TEXT NOT NULL,
                PRIMARY KEY (session_id, staff_id)
            )
            """,
            "CREATE INDEX booking_staff ON booking (staff_id)",
            """
            CREATE TABLE training_result (
                id BIGINT PRIMARY KEY,
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                course_code TEXT NOT NULL REFERENCES course(code),
                passed INTEGER NOT NULL,
                on_day INTEGER NOT NULL,
                source TEXT NOT NULL CHECK (source IN ('session','lms')),
                session_id BIGINT REFERENCES training_session(id)
            )
            """,
            "CREATE INDEX training_result_staff ON training_result (staff_id, course_code)",
            """
            CREATE TABLE evaluation (
                session_id BIGINT NOT NULL REFERENCES training_session(id),
                staff_id BIGINT NOT NULL REFERENCES staff(id),
                content INTEGER NOT NULL, trainer INTEGER NOT NULL, pace INTEGER NOT NULL, confidence INTEGER NOT NULL,
                comment TEXT NOT NULL,
                PRIMARY KEY (session_id, staff_id)
            )
            """,
            """
            CREATE TABLE people_site (
                organisation_id BIGINT PRIMARY KEY REFERENCES organisation(id),
                needing INTEGER NOT NULL, registered INTEGER NOT NULL, card_issued INTEGER NOT NULL, trained INTEGER NOT NULL,
                proficient INTEGER NOT NULL, granted INTEGER NOT NULL, overridden INTEGER NOT NULL, refresher_due INTEGER NOT NULL,
                ready INTEGER NOT NULL
            )
            """,
        ] + Course.standard.map { c in
            // The standard courses are reference data every programme starts with.
            "INSERT INTO course (code, title, mode, requires_basic_skills, valid_days, version) VALUES ("
                + [Schema.literal(c.code), Schema.literal(c.title), Schema.literal(c.mode.rawValue), c.requiresBasicSkills ? "1" : "0",
                   c.validForDays.map(String.init) ?? "NULL", "1"].joined(separator: ", ") + ")"
        }
    }

    static let funnelColumns = ["needing", "registered", "card_issued", "trained", "proficient", "granted", "overridden", "refresher_due"]

    /// Recounts the sites' funnel rows from their staff, in the caller's transaction.
    static func refreshPeopleSites(_ siteIDs: Set<Int64>) -> [SQLStatement] {
        guard !siteIDs.isEmpty else { return [] }
        let sums = ["needs_access", "registered", "card_issued", "trained", "proficient", "granted", "overridden", "refresher_due"]
            .map { "COALESCE(SUM(s.\($0)), 0)" }.joined(separator: ", ")
        let ids = siteIDs.sorted()
        return stride(from: 0, to: ids.count, by: 500).map { start in
            let chunk = ids[start..<min(start + 500, ids.count)]
            return SQLStatement("""
                INSERT INTO people_site (organisation_id, \(funnelColumns.joined(separator: ", ")), ready)
                SELECT o.id, \(sums), COUNT(s.ready_on) FROM organisation o LEFT JOIN staff s ON s.site_id = o.id
                WHERE o.id IN (\(chunk.map { _ in "?" }.joined(separator: ", "))) GROUP BY o.id
                ON CONFLICT (organisation_id) DO UPDATE SET \((funnelColumns + ["ready"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """, chunk.map { .integer($0) })
        }
    }

    /// Every site's row, after a load.
    static let refreshAllPeopleSites = SQLStatement("""
        INSERT INTO people_site (organisation_id, \(funnelColumns.joined(separator: ", ")), ready)
        SELECT site_id, SUM(needs_access), SUM(registered), SUM(card_issued), SUM(trained), SUM(proficient), SUM(granted), SUM(overridden),
            SUM(refresher_due), COUNT(ready_on) FROM staff WHERE 1 = 1 GROUP BY site_id
        ON CONFLICT (organisation_id) DO UPDATE SET \((funnelColumns + ["ready"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
        """)

    /// Writes each person's new status at the version it was computed from, then recounts their sites.
    static func statusStatements(_ updates: [StatusUpdate]) -> [SQLStatement] {
        updates.map { u in
            SQLStatement("""
                UPDATE staff SET needs_access = ?, registered = ?, card_issued = ?, trained = ?, proficient = ?, granted = ?, overridden = ?,
                refresher_due = ?, ready_on = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING id
                """, statusBinds(u.status) + [.integer(u.staffID), .integer(Int64(u.expectedVersion))], expectedRows: 1)
        } + refreshPeopleSites(Set(updates.map(\.siteID)))
    }

    static func statusBinds(_ s: PeopleStatus) -> [SQLValue] {
        [s.needsAccess, s.registered, s.cardIssued, s.trained, s.proficient, s.granted, s.overridden, s.refresherDue]
            .map { .integer($0 ? 1 : 0) } + [SQLValue(s.readyOn.map { Int64($0.ordinal) })]
    }

    static func status(_ row: SQLRow) -> PeopleStatus {
        var s = PeopleStatus()
        s.needsAccess = row.int("needs_access") != 0
        s.registered = row.int("registered") != 0
        s.cardIssued = row.int("card_issued") != 0
        s.trained = row.int("trained") != 0
        s.proficient = row.int("proficient") != 0
        s.granted = row.int("granted") != 0
        s.overridden = row.int("overridden") != 0
        s.refresherDue = row.int("refresher_due") != 0
        s.readyOn = row.optionalInt("ready_on").map { Day(ordinal: Int($0)) }
        return s
    }

    static func funnel(_ row: SQLRow) -> PeopleFunnel {
        var f = PeopleFunnel()
        f.needing = Int(row.optionalInt("needing") ?? 0)
        f.registered = Int(row.optionalInt("registered") ?? 0)
        f.cardIssued = Int(row.optionalInt("card_issued") ?? 0)
        f.trained = Int(row.optionalInt("trained") ?? 0)
        f.proficient = Int(row.optionalInt("proficient") ?? 0)
        f.granted = Int(row.optionalInt("granted") ?? 0)
        f.overridden = Int(row.optionalInt("overridden") ?? 0)
        f.refresherDue = Int(row.optionalInt("refresher_due") ?? 0)
        return f
    }
}
