import Foundation
import WaymarkCore

/// Documents and their versions. Bytes go to `files` before the transaction (content-addressed,
/// so a retry or a failed transaction leaves at most an unreferenced file) or, without a file
/// store, into `document_file` inside it.
extension SQLStore {
    static let ownerColumns = ["project_id", "project_code", "organisation_id", "cluster_id", "sha_id", "lhc_id", "trust_id",
                               "site_id", "supplier_id"]

    static func ownerValues(_ o: DocumentOwner) -> [SQLValue] {
        [.integer(o.projectID), .text(o.projectCode), .integer(o.organisationID), SQLValue(o.ancestry.clusterID),
         SQLValue(o.ancestry.shaID), SQLValue(o.ancestry.lhcID), SQLValue(o.ancestry.trustID), SQLValue(o.ancestry.siteID),
         SQLValue(o.supplierID)]
    }

    /// Reads `ownerColumns`.
    static func owner(from row: SQLRow) -> DocumentOwner {
        DocumentOwner(projectID: row.int("project_id"), projectCode: row.string("project_code"), organisationID: row.int("organisation_id"),
                      ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"), lhcID: row.optionalInt("lhc_id"),
                                         trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
                      supplierID: row.optionalInt("supplier_id"))
    }

    static let documentColumns = ["id"] + ownerColumns + ["product_code", "state", "latest_version", "signed_off_version",
                                                          "created_by", "created_at", "version"]

    static func document(from row: SQLRow) -> ProjectDocument {
        ProjectDocument(id: row.int("id"), owner: owner(from: row), productCode: row.string("product_code"),
                        state: DocumentState(rawValue: row.string("state")) ?? .draft, latestVersion: Int(row.int("latest_version")),
                        signedOffVersion: row.optionalInt("signed_off_version").map(Int.init), createdBy: row.string("created_by"),
                        createdAt: row.string("created_at"), version: Int(row.int("version")))
    }

    static let versionColumns = ["id", "document_id", "number", "state", "file_name", "file_type", "size", "content_hash", "author",
                                 "authored_at", "change_summary", "approved_by", "approver_role", "approved_at", "approved_hash"]

    static func versionValues(_ v: DocumentVersion) -> [SQLValue] {
        [.integer(v.id), .integer(v.documentID), .integer(Int64(v.number)), .text(v.state.rawValue), .text(v.fileName),
         .text(v.fileType.rawValue), .integer(Int64(v.size)), .text(v.contentHash), .text(v.author), .text(v.authoredAt),
         .text(v.changeSummary), SQLValue(v.approval?.by), SQLValue(v.approval?.role.rawValue), SQLValue(v.approval?.at),
         SQLValue(v.approval?.contentHash)]
    }

    static func version(from row: SQLRow) -> DocumentVersion {
        var approval: DocumentApproval?
        if let by = row.optionalString("approved_by"), let role = row.optionalString("approver_role").flatMap(Role.init(rawValue:)) {
            approval = DocumentApproval(by: by, role: role, at: row.string("approved_at"), contentHash: row.string("approved_hash"))
        }
        return DocumentVersion(id: row.int("id"), documentID: row.int("document_id"), number: Int(row.int("number")),
                               state: DocumentState(rawValue: row.string("state")) ?? .draft, fileName: row.string("file_name"),
                               fileType: DocumentFileType(rawValue: row.string("file_type")) ?? .markdown, size: Int(row.int("size")),
                               contentHash: row.string("content_hash"), author: row.string("author"), authoredAt: row.string("authored_at"),
                               changeSummary: row.string("change_summary"), approval: approval)
    }

    /// An insert under a freshly numbered id, so the only clash left is a record's own unique
    /// key (a project's document for a product, a stage's gate decision), reported as `.duplicate`.
    static func insert(_ table: String, _ columns: [String], _ values: [SQLValue]) -> SQLStatement {
        SQLStatement("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
                        + Array(repeating: "?", count: values.count).joined(separator: ", ") + ") ON CONFLICT DO NOTHING RETURNING id",
                     values, expectedRows: 1, onMismatch: .duplicate)
    }

    public func catalogueVersion(projectID: Int64) async throws -> Int {
        let rows = try await database.fetch("SELECT catalogue_version FROM project_catalogue WHERE project_id = ?", [.integer(projectID)])
        return rows.first.map { Int($0.int("catalogue_version")) } ?? NSIProductCatalogue.initialVersion
    }

    public func applyCatalogue(projectID: Int64, version: Int, by: String, at: String, audit: AuditRecord) async throws {
        try await writeAudited([
            SQLStatement("DELETE FROM project_catalogue WHERE project_id = ?", [.integer(projectID)]),
            SQLStatement("INSERT INTO project_catalogue (project_id, catalogue_version, applied_by, applied_at) VALUES (?, ?, ?, ?)",
                         [.integer(projectID), .integer(Int64(version)), .text(by), .text(at)]),
        ], audit: audit)
    }

    public func documents(projectID: Int64) async throws -> [ProjectDocument] {
        try await database.fetch("SELECT \(Self.documentColumns.joined(separator: ", ")) FROM project_document WHERE project_id = ? ORDER BY id",
                                 [.integer(projectID)]).map(Self.document(from:))
    }

    public func document(id: Int64, scope: AccessScope) async throws -> ProjectDocument? {
        var conditions = ["id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = ScopeSQL.projects(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch("SELECT \(Self.documentColumns.joined(separator: ", ")) FROM project_document" + conditions.whereClause, binds)
            .first.map(Self.document(from:))
    }

    public func documentRecord(id: Int64, scope: AccessScope) async throws -> DocumentRecord? {
        guard let document = try await document(id: id, scope: scope) else { return nil }
        let reads = Self.recordReads(id: id).dropFirst()
        var rows: [[SQLRow]] = []
        for read in reads { rows.append(try await database.fetch(read.sql, read.binds)) }
        return Self.record(document: document, versions: rows[0], comments: rows[1])
    }

    /// The reads of a whole record (document, versions, comments), so a write can end with them
    /// and answer with exactly what it committed.
    static func recordReads(id: Int64) -> [SQLStatement] {
        [SQLStatement("SELECT \(documentColumns.joined(separator: ", ")) FROM project_document WHERE id = ?", [.integer(id)]),
         SQLStatement("SELECT \(versionColumns.joined(separator: ", ")) FROM document_version WHERE document_id = ? ORDER BY number DESC",
                      [.integer(id)]),
         SQLStatement(
            """
            SELECT c.id, c.version_id, c.author, c.role, c.at, c.text FROM document_comment c
            JOIN document_version v ON v.id = c.version_id WHERE v.document_id = ? ORDER BY c.id
            """, [.integer(id)])]
    }

    static func record(document: ProjectDocument, versions: [SQLRow], comments: [SQLRow]) -> DocumentRecord {
        DocumentRecord(document: document, versions: versions.map(version(from:)), comments: comments.map { row in
            ReviewComment(id: row.int("id"), versionID: row.int("version_id"), author: row.string("author"),
                          role: row.optionalString("role").flatMap(Role.init(rawValue:)), at: row.string("at"), text: row.string("text"))
        })
    }

    /// The record as read by the last three statements of a write that ended with `recordReads`.
    static func record(fromWrite results: [[SQLRow]]) throws -> DocumentRecord {
        let tail = Array(results.suffix(3))
        guard tail.count == 3, let row = tail[0].first else { throw StorageError(.notFound, "The document no longer exists.") }
        return record(document: document(from: row), versions: tail[1], comments: tail[2])
    }

    public func documentContent(hash: String) async throws -> [UInt8]? {
        if let files, let bytes = try files.get(hash: hash) { return bytes }
        return try await database.fetch("SELECT content FROM document_file WHERE content_hash = ?", [.text(hash)]).first?.bytes("content")
    }

    public func addDocumentVersion(to slot: DocumentSlot, version: DocumentVersion, content: [UInt8], supersede: [Int64],
                                   audit: AuditRecord) async throws -> DocumentRecord {
        var fileStatements: [SQLStatement] = []
        if let files {
            try files.put(hash: version.contentHash, bytes: content)
        } else {
            fileStatements.append(SQLStatement(
                "INSERT INTO document_file (content_hash, size, content) VALUES (?, ?, ?) ON CONFLICT (content_hash) DO NOTHING",
                [.text(version.contentHash), .integer(Int64(content.count)), .bytes(content)]))
        }
        var document = slot.document
        var version = version
        var statements = fileStatements
        let duplicate = StorageError(.duplicate, "\(document.owner.projectCode) already has a \(document.productCode) document; add a version to it.")
        if case .new = slot {
            let taken = try await database.fetch("SELECT id FROM project_document WHERE project_id = ? AND product_code = ?",
                                                 [.integer(document.owner.projectID), .text(document.productCode)])
            guard taken.isEmpty else { throw duplicate }
            document.id = try await newID("project_document")
            document.version = 1
            statements.append(Self.insert("project_document", Self.documentColumns, Self.documentValues(document)))
        } else {
            statements.append(Self.documentUpdate(document))
            document.version += 1
        }
        version.id = try await newID("document_version")
        version.documentID = document.id
        statements.append(Self.insert("document_version", Self.versionColumns, Self.versionValues(version)))
        statements += Self.supersede(supersede)
        var audit = audit
        audit.entityID = document.id
        do {
            return try Self.record(fromWrite: try await writeAudited(statements + Self.recordReads(id: document.id), audit: audit))
        } catch let error as StorageError where error.code == .duplicate {
            throw duplicate
        }
    }

    public func changeDocumentVersion(document: ProjectDocument, versionID: Int64, state: DocumentState, approval: DocumentApproval?,
                                      supersede: [Int64], comment: ReviewComment?, audit: AuditRecord) async throws -> DocumentRecord {
        if let comment {
            // One transaction: the action never happens without its comment, nor the reverse.
            var saved = comment
            saved.id = try await newID("document_comment")
            return try await changeVersion(document: document, versionID: versionID, state: state, approval: approval,
                                           supersede: supersede, also: [Self.commentInsert(saved)], audit: audit)
        }
        return try await changeVersion(document: document, versionID: versionID, state: state, approval: approval,
                                       supersede: supersede, also: [], audit: audit)
    }

    private func changeVersion(document: ProjectDocument, versionID: Int64, state: DocumentState, approval: DocumentApproval?,
                               supersede: [Int64], also: [SQLStatement], audit: AuditRecord) async throws -> DocumentRecord {
        var statements = [Self.documentUpdate(document)]
        statements.append(SQLStatement(
            """
            UPDATE document_version SET state = ?, approved_by = COALESCE(?, approved_by), approver_role = COALESCE(?, approver_role),
                approved_at = COALESCE(?, approved_at), approved_hash = COALESCE(?, approved_hash)
            WHERE id = ? AND document_id = ? RETURNING id
            """,
            [.text(state.rawValue), SQLValue(approval?.by), SQLValue(approval?.role.rawValue), SQLValue(approval?.at),
             SQLValue(approval?.contentHash), .integer(versionID), .integer(document.id)], expectedRows: 1, onMismatch: .notFound))
        statements += Self.supersede(supersede) + also + Self.recordReads(id: document.id)
        return try Self.record(fromWrite: try await writeAudited(statements, audit: audit))
    }

    static func documentValues(_ d: ProjectDocument) -> [SQLValue] {
        [.integer(d.id)] + ownerValues(d.owner) + [.text(d.productCode), .text(d.state.rawValue), .integer(Int64(d.latestVersion)),
                                                   SQLValue(d.signedOffVersion), .text(d.createdBy), .text(d.createdAt),
                                                   .integer(Int64(d.version))]
    }

    /// The document's state fields, if it is still at the version the caller read.
    static func documentUpdate(_ d: ProjectDocument) -> SQLStatement {
        SQLStatement(
            "UPDATE project_document SET state = ?, latest_version = ?, signed_off_version = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING id",
            [.text(d.state.rawValue), .integer(Int64(d.latestVersion)), SQLValue(d.signedOffVersion), .integer(d.id), .integer(Int64(d.version))],
            expectedRows: 1)
    }

    static func supersede(_ ids: [Int64]) -> [SQLStatement] {
        ids.isEmpty ? [] : [SQLStatement(
            "UPDATE document_version SET state = 'superseded' WHERE id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))",
            ids.map { .integer($0) })]
    }

    public func addReviewComment(_ comment: ReviewComment, audit: AuditRecord) async throws -> ReviewComment {
        var saved = comment
        saved.id = try await newID("document_comment")
        try await writeAudited([Self.commentInsert(saved)], audit: audit)
        return saved
    }

    static func commentInsert(_ c: ReviewComment) -> SQLStatement {
        insert("document_comment", ["id", "version_id", "author", "role", "at", "text"],
               [.integer(c.id), .integer(c.versionID), .text(c.author), SQLValue(c.role?.rawValue), .text(c.at), .text(c.text)])
    }
}
