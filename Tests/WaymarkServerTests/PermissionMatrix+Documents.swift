import Foundation
import HTTPTypes
import WaymarkCore
import WaymarkService
import WaymarkStorage

extension PermissionMatrix {
    /// The document-control, gate and hazard pages (issue 5). Reads need `.viewRecords`; each
    /// write is built to be refused once past authorisation (an empty field, an unknown
    /// product, a stale document version, a gate out of order), so the matrix changes nothing.
    /// Documents and hazards are reached through the records `seedDocumentRecords` gives every
    /// project: document and hazard N belong to project N, so each is in scope exactly where
    /// its project is.
    static let documentRoutes: [String: Rule] = [
        "GET /projects/{code}/documents": .project(.viewRecords),
        // An upload with no file: "Choose the file to upload."
        "POST /projects/{code}/documents": .custom(.manageDocuments, .project) { target, _ in
            (.multipart("/projects/\(target.project.code)/documents"), .unprocessableContent)
        },
        "POST /projects/{code}/documents/from-template": .custom(.manageDocuments, .project) { target, _ in
            (.form("/projects/\(target.project.code)/documents/from-template", [("product", "NO-SUCH-PRODUCT")]), .unprocessableContent)
        },
        // Applying the catalogue names the version the page showed; an empty one is refused.
        "POST /projects/{code}/catalogue": .custom(.manageDocuments, .project) { target, _ in
            (.form("/projects/\(target.project.code)/catalogue", [("catalogue", "")]), .unprocessableContent)
        },
        "GET /documents/{id}": .custom(.viewRecords, .project) { target, _ in
            (.get("/documents/\(matrixDocument(target))"), .ok)
        },
        "GET /documents/{id}/versions/{number}": .custom(.viewRecords, .project) { target, _ in
            (.get("/documents/\(matrixDocument(target))/versions/1"), .ok)
        },
        "GET /documents/{id}/versions/{number}/download": .custom(.viewRecords, .project) { target, _ in
            (.get("/documents/\(matrixDocument(target))/versions/1/download"), .ok)
        },
        // Submitting the draft from a stale page (document version 0): refused as stale (412).
        "POST /documents/{id}/versions/{number}/actions": .custom(.manageDocuments, .project) { target, _ in
            (.form("/documents/\(matrixDocument(target))/versions/1/actions", [("action", DocumentAction.submit.rawValue), ("version", "0")]),
             .preconditionFailed)
        },
        "POST /documents/{id}/versions/{number}/comments": .custom(.manageDocuments, .project) { target, _ in
            (.form("/documents/\(matrixDocument(target))/versions/1/comments", [("comment", "")]), .unprocessableContent)
        },
        "GET /projects/{code}/gates": .project(.viewRecords),
        // The last gate while the first is still open: gates pass in order.
        "POST /projects/{code}/gates": .custom(.decideGates, .project) { target, _ in
            (.form("/projects/\(target.project.code)/gates", [("stage", "5"), ("override", "1"), ("reason", "Matrix override reason")]),
             .conflict)
        },
        "GET /organisations/{code}/gates": .organisation(.viewRecords),
        "GET /projects/{code}/hazards": .project(.viewRecords),
        "POST /projects/{code}/hazards": .custom(.recordHazards, .project) { target, _ in
            (.form("/projects/\(target.project.code)/hazards", [("title", ""), ("initialSeverity", "3"), ("initialLikelihood", "3")]),
             .unprocessableContent)
        },
        "GET /projects/{code}/hazards/{id}": .custom(.viewRecords, .project) { target, _ in
            (.get("/projects/\(target.project.code)/hazards/\(matrixHazard(target))"), .ok)
        },
        "POST /projects/{code}/hazards/{id}": .custom(.recordHazards, .project) { target, _ in
            (.form("/projects/\(target.project.code)/hazards/\(matrixHazard(target))",
                   [("version", "1"), ("title", ""), ("initialSeverity", "3"), ("initialLikelihood", "3")]), .unprocessableContent)
        },
        "POST /projects/{code}/safety-case": .custom(.signSafetyCase, .project) { target, _ in
            (.form("/projects/\(target.project.code)/safety-case", [("statement", "")]), .unprocessableContent)
        },
    ]

    /// The document `seedDocumentRecords` gave the target's project: a Project Brief with one
    /// Markdown draft version.
    static func matrixDocument(_ target: Targets.Target) -> Int64 { target.project.id }

    /// The hazard `seedDocumentRecords` gave the target's project.
    static func matrixHazard(_ target: Targets.Target) -> Int64 { target.project.id }

    static let matrixDraft = Array("# Project Brief\n\nA draft the permission matrix reads.\n".utf8)

    /// Gives every project of the loaded programme a Project Brief (document and version N for
    /// project N, one draft Markdown version) and one open hazard (hazard N), in three
    /// statements, so the matrix can reach them by id. Call on a freshly loaded store.
    static func seedDocumentRecords(_ database: any SQLDatabase) async throws {
        let owner = "id, code, organisation_id, cluster_id, sha_id, lhc_id, trust_id, site_id, supplier_id"
        let ownerColumns = "project_id, project_code, organisation_id, cluster_id, sha_id, lhc_id, trust_id, site_id, supplier_id"
        let at = "'2026-11-24T12:00:00Z'"
        try await database.write([
            SQLStatement("INSERT INTO document_file (content_hash, size, content) VALUES (?, ?, ?)",
                         [.text(Secrets.sha256Hex(matrixDraft)), .integer(Int64(matrixDraft.count)), .bytes(matrixDraft)]),
            SQLStatement("""
                INSERT INTO project_document (id, \(ownerColumns), product_code, state, latest_version, created_by, created_at, version)
                SELECT id, \(owner), 'PROJECT-BRIEF', 'draft', 1, 'matrix', \(at), 1 FROM project
                """),
            SQLStatement("""
                INSERT INTO document_version (id, document_id, number, state, file_name, file_type, size, content_hash, author, authored_at, change_summary)
                SELECT id, id, 1, 'draft', 'brief.md', 'markdown', \(matrixDraft.count), '\(Secrets.sha256Hex(matrixDraft))', 'matrix', \(at), 'Matrix draft' FROM project
                """),
            SQLStatement("""
                INSERT INTO hazard (id, \(ownerColumns), title, cause, effect, harm, initial_severity, initial_likelihood, controls,
                                    residual_severity, residual_likelihood, status, version)
                SELECT id, \(owner), 'Matrix hazard', 'Cause', 'Effect', 'Harm', 3, 3, '[]', 3, 3, 'open', 1 FROM project
                """),
        ])
    }
}
