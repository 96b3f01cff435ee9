import Crypto
import Foundation

/// The audit trail as a hash chain: each entry's hash covers its content and the previous
/// entry's hash, so editing, reordering or deleting any entry breaks every hash after it.
/// `audit_chain_head` holds the newest hash and the count, so a deleted tail shows too.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the fields, each length-prefixed so no two entries serialise alike.
    public static func hash(of entry: AuditRecord, previous: String) -> String {
        var text = ""
        for field in [entry.at, entry.actor, entry.origin, entry.action, entry.entityType, String(entry.entityID),
                      entry.before, entry.after, previous] {
            if let field { text += "\(field.utf8.count):\(field)|" } else { text += "-|" }
        }
        return SHA256.hash(data: Data(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Triggers that make audit rows append-only, and the chain head undeletable.
    static func appendOnlyTriggers(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite:
            return [
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
                "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
                "CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END",
            ]
        case .postgres:
            return [
                """
                CREATE FUNCTION waymark_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$
                """,
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION waymark_refuse_audit_change()",
                "CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION waymark_refuse_audit_change()",
            ]
        }
    }
}

/// What `verifyAuditChain` found.
public struct AuditVerification: Sendable, Hashable {
    public struct Break: Sendable, Hashable {
        /// The first entry that does not hold; nil when entries after the last one were deleted.
        public var entryID: Int64?
        public var reason: String
    }
    public var entries: Int
    public var headHash: String
    public var broken: Break?
    public var isIntact: Bool { broken == nil }
}

extension SQLStore {
    /// The statements that append `audit` to the chain after `previous`: move the head on
    /// (refused, as `auditChainMoved`, if another writer moved it first) and insert the entry.
    static func appendAudit(_ audit: AuditRecord, previous: String) -> [SQLStatement] {
        let hash = AuditChain.hash(of: audit, previous: previous)
        return [
            SQLStatement("UPDATE audit_chain_head SET last_hash = ?, entries = entries + 1 WHERE id = 1 AND last_hash = ? RETURNING id",
                         [.text(hash), .text(previous)], expectedRows: 1, onMismatch: .auditChainMoved),
            SQLStatement(
                """
                INSERT INTO audit_entry (at, actor, origin, action, entity_type, entity_id, before_state, after_state, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(audit.at), .text(audit.actor), SQLValue(audit.origin), .text(audit.action), .text(audit.entityType),
                 .integer(audit.entityID), SQLValue(audit.before), SQLValue(audit.after), .text(previous), .text(hash)]),
        ]
    }

    func auditChainHead() async throws -> String {
        try await database.fetch("SELECT last_hash FROM audit_chain_head WHERE id = 1", []).first?.string("last_hash") ?? AuditChain.genesis
    }

    /// Runs `statements` followed by an audit append, retrying when another writer appended
    /// first. Any other conflict (a stale version) is reported at once.
    @discardableResult
    func writeAudited(_ statements: [SQLStatement], audit: AuditRecord) async throws -> [[SQLRow]] {
        try await writeAudited(statements, audits: [audit])
    }

    /// As above with several entries, chained in order in the same transaction (an escalation
    /// changes two records, and each keeps its own trail). Returns the rows of `statements`.
    @discardableResult
    func writeAudited(_ statements: [SQLStatement], audits: [AuditRecord]) async throws -> [[SQLRow]] {
        await database.auditTurns.acquire()
        do {
            let rows = try await appendAudited(statements, audits: audits)
            await database.auditTurns.release()
            return rows
        } catch {
            await database.auditTurns.release()
            throw error
        }
    }

    private func appendAudited(_ statements: [SQLStatement], audits: [AuditRecord]) async throws -> [[SQLRow]] {
        for attempt in 1...20 {
            var previous = try await auditChainHead()
            var appends: [SQLStatement] = []
            for audit in audits {
                appends += Self.appendAudit(audit, previous: previous)
                previous = AuditChain.hash(of: audit, previous: previous)
            }
            do {
                return Array(try await database.write(statements + appends).prefix(statements.count))
            } catch let error as StorageError where error.code == .auditChainMoved && attempt < 20 {
                continue
            }
        }
        throw StorageError(.auditChainMoved, "Another change was audited at the same moment; retry.")
    }

    /// Recomputes every entry's hash in order and checks the links and the head.
    public func verifyAuditChain(progress: (@Sendable (Int) -> Void)? = nil) async throws -> AuditVerification {
        var previous = AuditChain.genesis
        var count = 0
        var after: Int64 = 0
        while true {
            let rows = try await database.fetch(
                """
                SELECT id, at, actor, origin, action, entity_type, entity_id, before_state, after_state, previous_hash, hash
                FROM audit_entry WHERE id > ? ORDER BY id LIMIT 1000
                """, [.integer(after)])
            if rows.isEmpty { break }
            for row in rows {
                let id = row.int("id")
                let record = AuditRecord(id: id, at: row.string("at"), actor: row.string("actor"), origin: row.optionalString("origin"),
                                         action: row.string("action"), entityType: row.string("entity_type"), entityID: row.int("entity_id"),
                                         before: row.optionalString("before_state"), after: row.optionalString("after_state"))
                if row.optionalString("previous_hash") != previous {
                    return AuditVerification(entries: count, headHash: previous, broken: .init(
                        entryID: id, reason: "entry \(id) does not follow the entry before it (an entry was removed or reordered)"))
                }
                if row.optionalString("hash") != AuditChain.hash(of: record, previous: previous) {
                    return AuditVerification(entries: count, headHash: previous, broken: .init(
                        entryID: id, reason: "entry \(id) was changed after it was written (its hash does not match its content)"))
                }
                previous = row.string("hash")
                count += 1
                after = id
            }
            progress?(count)
        }
        let head = try await database.fetch("SELECT last_hash, entries FROM audit_chain_head WHERE id = 1", []).first
        if head?.string("last_hash") != previous || Int(head?.int("entries") ?? -1) != count {
            return AuditVerification(entries: count, headHash: previous, broken: .init(
                entryID: nil, reason: "the chain ends at entry \(after) but the head records \(head?.int("entries") ?? 0) entries: "
                    + "entries after it were deleted"))
        }
        return AuditVerification(entries: count, headHash: previous, broken: nil)
    }
}
