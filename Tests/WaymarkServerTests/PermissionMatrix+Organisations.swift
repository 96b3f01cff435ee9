import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Organisation management (issue 13). Every write is built to stop after authorisation
    /// (a stale version or an empty code), so the matrix leaves the hierarchy as it found it.
    static let organisationRoutes: [String: Rule] = [
        // A file with a row of an unknown level: past authorisation it is rejected (422), unwritten.
        "POST /api/v1/organisations/import": .national(.manageOrganisations) {
            (MatrixRequest(method: .post, uri: "/api/v1/organisations/import?dryRun=true", headers: [.contentType: "text/csv"],
                           body: "code,name,parent code,level\nZZM1,Matrix,NPO,galaxy\n"), .unprocessableContent)
        },
        "GET /organisations/import": .national(.manageOrganisations) { (.get("/organisations/import"), .ok) },
        "POST /organisations/import": .national(.manageOrganisations) { (.multipart("/organisations/import"), .unprocessableContent) },
        "GET /organisations/{code}/manage": .organisation(.manageOrganisations),
        "POST /organisations/{code}": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)", [("name", "Matrix"), ("version", "0")]), .preconditionFailed)
        },
        "POST /organisations/{code}/children": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/children", [("code", ""), ("name", "")]), .unprocessableContent)
        },
        "POST /organisations/{code}/move": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/move", [("parent", "NPO"), ("version", "0")]), .preconditionFailed)
        },
        "POST /organisations/{code}/close": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/close", [("version", "0")]), .preconditionFailed)
        },
        "POST /api/v1/organisations": .custom(.manageOrganisations, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations", #"{"code": "", "name": "", "kind": "site", "parent": "\#(target.organisation.code)"}"#),
             .unprocessableContent)
        },
        "PATCH /api/v1/organisations/{code}": .custom(.manageOrganisations, .organisation) { target, _ in
            (stale(.patch, "/api/v1/organisations/\(target.organisation.code)", #"{"name": "Matrix"}"#), .preconditionFailed)
        },
        "POST /api/v1/organisations/{code}/move": .custom(.manageOrganisations, .organisation) { target, _ in
            (stale(.post, "/api/v1/organisations/\(target.organisation.code)/move", #"{"parent": "NPO"}"#), .preconditionFailed)
        },
        "POST /api/v1/organisations/{code}/close": .custom(.manageOrganisations, .organisation) { target, _ in
            (stale(.post, "/api/v1/organisations/\(target.organisation.code)/close", "{}"), .preconditionFailed)
        },
    ]

    /// A JSON write naming version 0, which no record has.
    static func stale(_ method: HTTPRequest.Method, _ uri: String, _ body: String) -> MatrixRequest {
        var request = MatrixRequest.json(method, uri, body)
        request.headers[HTTPField.Name("If-Match")!] = "\"0\""
        return request
    }
}
