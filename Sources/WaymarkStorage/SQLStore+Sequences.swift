/// New ids and per-parent numbers come from counter rows in `sequence_counter`, moved on by one
/// upsert in its own short transaction: the database serialises concurrent callers on the row,
/// so two creates never get the same number and nothing has to be retried. The number is taken
/// before the record's own transaction because the audit entry, which is hashed before it is
/// written, names the id; a create that then fails leaves a gap, as a sequence does.
/// See docs/design/storage.md.
extension SQLStore {
    static let sequenceMigration = Migration(version: 10, name: "id and number counters") { _ in
        [
            """
            CREATE TABLE sequence_counter (
                name TEXT NOT NULL,
                owner_id BIGINT NOT NULL,
                last BIGINT NOT NULL,
                PRIMARY KEY (name, owner_id)
            )
            """,
        ]
    }

    /// `count` new ids for `table`, in order.
    func newIDs(_ table: String, count: Int = 1) async throws -> [Int64] {
        guard count > 0 else { return [] }
        let last = try await advance(counter: table, owner: 0, by: count,
                                     highest: "SELECT COALESCE(MAX(id), 0) FROM \(table)", [])
        return Array((last - Int64(count) + 1)...last)
    }

    func newID(_ table: String) async throws -> Int64 { try await newIDs(table)[0] }

    /// The next value of `column` among the rows of `table` whose `parent` column is `owner`
    /// (a change note's number in its cluster, a line's in its DIP).
    func nextNumber(_ table: String, _ column: String, parent: String, owner: Int64) async throws -> Int {
        Int(try await advance(counter: "\(table).\(column)", owner: owner, by: 1,
                              highest: "SELECT COALESCE(MAX(\(column)), 0) FROM \(table) WHERE \(parent) = ?", [.integer(owner)]))
    }

    /// The next `count` values of `column` among the rows of `table` under `owner`, in order.
    func nextNumbers(_ table: String, _ column: String, parent: String, owner: Int64, count: Int) async throws -> [Int] {
        guard count > 0 else { return [] }
        let last = Int(try await advance(counter: "\(table).\(column)", owner: owner, by: count,
                                         highest: "SELECT COALESCE(MAX(\(column)), 0) FROM \(table) WHERE \(parent) = ?", [.integer(owner)]))
        return Array((last - count + 1)...last)
    }

    /// Moves the counter on by `count` and returns its new value. The counter never falls behind
    /// the rows already there (`highest`), so rows loaded with explicit ids (a seed, an older
    /// database) need no separate step to bring it up to date.
    private func advance(counter name: String, owner: Int64, by count: Int, highest: String, _ binds: [SQLValue]) async throws -> Int64 {
        let greatest = database.dialect == .sqlite ? "MAX" : "GREATEST"
        // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
        let rows = try await database.write([SQLStatement(
            """
            INSERT INTO sequence_counter (name, owner_id, last)
            SELECT ?, ?, (\(highest)) + ? WHERE true
            ON CONFLICT (name, owner_id) DO UPDATE SET last = \(greatest)(sequence_counter.last + ?, excluded.last)
            RETURNING last
            """,
            [.text(name), .integer(owner)] + binds + [.integer(Int64(count)), .integer(Int64(count))], expectedRows: 1)])
        return rows[0][0].int("last")
    }
}
