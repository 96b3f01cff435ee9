import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Creating, closing and cancelling projects (issue 13). Writes stop after authorisation:
    /// no product (422) for a create, version 0 (412) for a close or cancel.
    static let projectLifecycleRoutes: [String: Rule] = [
        "POST /organisations/{code}/projects": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/projects", [("product", "")]), .unprocessableContent)
        },
        "POST /api/v1/organisations/{code}/projects": .custom(.manageOrganisations, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/projects", #"{"product": "CRS", "baselines": {}}"#), .unprocessableContent)
        },
        "GET /projects/{code}/state": .project(.viewRecords),
        "POST /projects/{code}/close": .custom(.recordMilestones, .project) { target, _ in
            (.form("/projects/\(target.project.code)/close", [("version", "0")]), .preconditionFailed)
        },
        "POST /projects/{code}/cancel": .custom(.manageOrganisations, .project) { target, _ in
            (.form("/projects/\(target.project.code)/cancel", [("reason", "matrix"), ("version", "0")]), .preconditionFailed)
        },
        "POST /api/v1/projects/{code}/close": .custom(.recordMilestones, .project) { target, _ in
            (stale(.post, "/api/v1/projects/\(target.project.code)/close", "{}"), .preconditionFailed)
        },
        "POST /api/v1/projects/{code}/cancel": .custom(.manageOrganisations, .project) { target, _ in
            (stale(.post, "/api/v1/projects/\(target.project.code)/cancel", #"{"reason": "matrix"}"#), .preconditionFailed)
        },
    ]
}
