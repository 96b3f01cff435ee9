import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The Go Live policy (issue 14, part 5). Anyone signed in reads it; only national roles
    /// with `.manageOrganisations` set it (an unknown organisation stops at 404). An override
    /// needs `.decideGates` on the project; a reason under ten characters stops at 422 before
    /// the Board-only check.
    static let goLivePolicyRoutes: [String: Rule] = [
        "GET /go-live-policy": .signedIn,
        "POST /go-live-policy": .national(.manageOrganisations) {
            (.form("/go-live-policy", [("organisation", "NONE"), ("policy", "warn")]), .notFound)
        },
        "POST /projects/{code}/milestone-overrides": .custom(.decideGates, .project) { target, _ in
            (.form("/projects/\(target.project.code)/milestone-overrides", [("milestone", "go-live-completed"), ("reason", "short")]), .unprocessableContent)
        },
        "GET /api/v1/go-live-policy": .signedIn,
        "PUT /api/v1/organisations/{code}/go-live-policy": .national(.manageOrganisations) {
            (.json(.put, "/api/v1/organisations/NONE/go-live-policy", #"{"policy": "warn"}"#), .notFound)
        },
        "GET /api/v1/projects/{code}/go-live-policy": .project(.viewRecords),
        "POST /api/v1/projects/{code}/milestones/{milestone}/override": .custom(.decideGates, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/milestones/go-live-completed/override", #"{"reason": "short"}"#), .unprocessableContent)
        },
    ]
}
