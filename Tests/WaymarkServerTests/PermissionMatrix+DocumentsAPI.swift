import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The document-control, gate and hazard API operations (issue 5). Documents and hazards are
    /// the ones `seedDocumentRecords` gives every project (a draft Project Brief at version 1,
    /// a hazard at version 1), so each is in scope exactly where its project is. Every write is
    /// built to be refused once past authorisation, so the matrix changes nothing.
    static let documentAPIRoutes: [String: Rule] = [
        "GET /api/v1/projects/{code}/documents": .project(.viewRecords),
        // A "PDF" that is not one: the upload check's 422, nothing stored.
        "PUT /api/v1/projects/{code}/documents/{product}": .custom(.manageDocuments, .project) { target, _ in
            (MatrixRequest(method: .put, uri: "/api/v1/projects/\(target.project.code)/documents/PID?fileName=pid.pdf&changeSummary=matrix",
                           headers: [.contentType: "application/pdf"], body: "not a PDF"), .unprocessableContent)
        },
        // A stale If-Match on the seeded Project Brief: 412, nothing drafted. (An unknown product
        // is part of the address, so it is a 404 like a project out of scope.)
        "POST /api/v1/projects/{code}/documents/{product}/from-template": .custom(.manageDocuments, .project) { target, _ in
            (MatrixRequest(method: .post, uri: "/api/v1/projects/\(target.project.code)/documents/PROJECT-BRIEF/from-template",
                           headers: [HTTPField.Name("If-Match")!: "\"99\""]), .preconditionFailed)
        },
        // Naming a catalogue version that is not the latest: 409, nothing applied.
        "POST /api/v1/projects/{code}/catalogue": .custom(.manageDocuments, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/catalogue", #"{"version": 0}"#), .conflict)
        },
        "GET /api/v1/documents/{id}": .custom(.viewRecords, .project) { target, _ in
            (.get("/api/v1/documents/\(matrixDocument(target))"), .ok)
        },
        "GET /api/v1/documents/{id}/versions/{number}/content": .custom(.viewRecords, .project) { target, _ in
            (.get("/api/v1/documents/\(matrixDocument(target))/versions/1/content"), .ok)
        },
        // Approving a draft: approval needs its own permission, then the rule refuses it (409).
        "POST /api/v1/documents/{id}/versions/{number}/actions": .custom(.approveDocuments, .project) { target, _ in
            (apiChange("/api/v1/documents/\(matrixDocument(target))/versions/1/actions", #"{"action": "approve"}"#), .conflict)
        },
        "POST /api/v1/documents/{id}/versions/{number}/comments": .custom(.manageDocuments, .project) { target, _ in
            (.json(.post, "/api/v1/documents/\(matrixDocument(target))/versions/1/comments", #"{"text": " "}"#), .unprocessableContent)
        },
        "GET /api/v1/projects/{code}/gates": .project(.viewRecords),
        // The last gate while the first is still open: gates pass in order (409).
        "POST /api/v1/projects/{code}/gates": .custom(.decideGates, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/gates", #"{"stage": 5, "override": true, "reason": "Matrix override reason"}"#),
             .conflict)
        },
        "GET /api/v1/organisations/{code}/gates": .organisation(.viewRecords),
        "GET /api/v1/projects/{code}/hazards": .project(.viewRecords),
        "POST /api/v1/projects/{code}/hazards": .custom(.recordHazards, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/hazards", #"{"title": "", "initialSeverity": 3, "initialLikelihood": 3}"#),
             .unprocessableContent)
        },
        "PUT /api/v1/projects/{code}/hazards/{id}": .custom(.recordHazards, .project) { target, _ in
            (apiChange("/api/v1/projects/\(target.project.code)/hazards/\(matrixHazard(target))",
                       #"{"title": "", "initialSeverity": 3, "initialLikelihood": 3}"#, method: .put), .unprocessableContent)
        },
        "POST /api/v1/projects/{code}/safety-case": .custom(.signSafetyCase, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/safety-case", #"{"statement": "short"}"#), .unprocessableContent)
        },
    ]
}
