import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Go Live Checklists (issue 14). Reads follow the project (a checklist not started is 404);
    /// starting needs `.recordReadiness` (an unknown template stops at 422); an item's owner and
    /// evidence need `.recordReadiness` and its sign-off `.decideGates` (no version stops at 428).
    static let goLiveChecklistRoutes: [String: Rule] = [
        "GET /projects/{code}/go-live-checklists": .project(.viewRecords),
        "POST /projects/{code}/go-live-checklists": .custom(.recordReadiness, .project) { target, _ in
            (.form("/projects/\(target.project.code)/go-live-checklists", [("template", "bogus")]), .unprocessableContent)
        },
        "GET /projects/{code}/go-live-checklists/{template}": .custom(.viewRecords, .project) { target, _ in
            (.get("/projects/\(target.project.code)/go-live-checklists/technical"), .notFound)
        },
        "POST /projects/{code}/go-live-checklists/{template}/items/{item}": .custom(.recordReadiness, .project) { target, _ in
            (.form("/projects/\(target.project.code)/go-live-checklists/technical/items/technical.network", [("owner", "x")]), .preconditionRequired)
        },
        "POST /projects/{code}/go-live-checklists/{template}/items/{item}/sign-off": .custom(.decideGates, .project) { target, _ in
            (.form("/projects/\(target.project.code)/go-live-checklists/technical/items/technical.network/sign-off"), .preconditionRequired)
        },
        "GET /api/v1/projects/{code}/go-live-checklists": .project(.viewRecords),
        "POST /api/v1/projects/{code}/go-live-checklists": .custom(.recordReadiness, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/go-live-checklists", #"{"template": "bogus"}"#), .unprocessableContent)
        },
        "GET /api/v1/projects/{code}/go-live-checklists/{template}": .custom(.viewRecords, .project) { target, _ in
            (.get("/api/v1/projects/\(target.project.code)/go-live-checklists/technical"), .notFound)
        },
        "PUT /api/v1/projects/{code}/go-live-checklists/{template}/items/{item}": .custom(.recordReadiness, .project) { target, _ in
            (.json(.put, "/api/v1/projects/\(target.project.code)/go-live-checklists/technical/items/technical.network", #"{"owner": "x", "evidence": "y"}"#),
             .preconditionRequired)
        },
        "POST /api/v1/projects/{code}/go-live-checklists/{template}/items/{item}/sign-off": .custom(.decideGates, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/go-live-checklists/technical/items/technical.network/sign-off"), .preconditionRequired)
        },
    ]
}
