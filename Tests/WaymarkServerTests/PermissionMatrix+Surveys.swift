import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The readiness surveys (issue 14). Reads follow the project. Answering needs
    /// `.recordReadiness` (a rating off the scale stops at 422); signing off needs `.decideGates`
    /// (an unanswered survey stops at 422); raising a finding needs `.recordRisks` (an unanswered
    /// question is 404 past the register's check).
    static let surveyRoutes: [String: Rule] = [
        "GET /projects/{code}/readiness": .project(.viewRecords),
        "GET /projects/{code}/readiness/{kind}": .custom(.viewRecords, .project) { target, _ in
            (.get("/projects/\(target.project.code)/readiness/data"), .ok)
        },
        "POST /projects/{code}/readiness/{kind}": .custom(.recordReadiness, .project) { target, _ in
            (.form("/projects/\(target.project.code)/readiness/data", [("version", "0"), ("answer.data.sources.rating", "bogus")]), .unprocessableContent)
        },
        "POST /projects/{code}/readiness/{kind}/import": .custom(.recordReadiness, .project) { target, _ in
            (.multipart("/projects/\(target.project.code)/readiness/data/import"), .unprocessableContent)
        },
        "POST /projects/{code}/readiness/{kind}/sign-off": .custom(.decideGates, .project) { target, _ in
            (.form("/projects/\(target.project.code)/readiness/data/sign-off", [("version", "1")]), .unprocessableContent)
        },
        "POST /projects/{code}/readiness/{kind}/raise": .custom(.recordRisks, .project) { target, _ in
            (.form("/projects/\(target.project.code)/readiness/data/raise", [("question", "data.sources"), ("as", "risk")]), .notFound)
        },
        "GET /api/v1/projects/{code}/surveys": .project(.viewRecords),
        "GET /api/v1/organisations/{code}/readiness": .organisation(.viewRecords),
        "GET /api/v1/projects/{code}/surveys/{kind}": .custom(.viewRecords, .project) { target, _ in
            (.get("/api/v1/projects/\(target.project.code)/surveys/data"), .ok)
        },
        "PUT /api/v1/projects/{code}/surveys/{kind}": .custom(.recordReadiness, .project) { target, _ in
            (.json(.put, "/api/v1/projects/\(target.project.code)/surveys/data", #"{"answers": [{"question": "data.sources", "rating": "bogus"}]}"#),
             .unprocessableContent)
        },
        "POST /api/v1/projects/{code}/surveys/{kind}/sign-off": .custom(.decideGates, .project) { target, _ in
            var request = MatrixRequest.json(.post, "/api/v1/projects/\(target.project.code)/surveys/data/sign-off")
            request.headers[HTTPField.Name("If-Match")!] = "\"1\""
            return (request, .unprocessableContent)
        },
        "POST /api/v1/projects/{code}/surveys/{kind}/findings/{question}/raise": .custom(.recordRisks, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/surveys/data/findings/data.sources/raise?as=risk"), .notFound)
        },
    ]
}
