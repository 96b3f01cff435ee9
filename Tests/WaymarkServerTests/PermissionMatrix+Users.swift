import HTTPTypes
import WaymarkCore
import WaymarkStorage

extension PermissionMatrix {
    /// The user every users route is tried on: deactivated, so a reset link is refused (409)
    /// and nothing is issued; every other write names a stale version (412) or a bad field (422).
    static let matrixUsername = "matrix-user"

    /// User administration (issue 13): only national roles with `manageUsers` get past
    /// authorisation; everyone else gets 403. The reset link page is public: its link is the
    /// credential, and an unknown one is 404 (`PermissionMatrixTests` checks that).
    static let userRoutes: [String: Rule] = [
        "GET /users": .national(.manageUsers) { (.get("/users"), .ok) },
        "GET /users/new": .national(.manageUsers) { (.get("/users/new"), .ok) },
        "POST /users": .national(.manageUsers) { (.form("/users", [("username", "x"), ("name", "")]), .unprocessableContent) },
        "GET /users/import": .national(.manageUsers) { (.get("/users/import"), .ok) },
        "POST /users/import": .national(.manageUsers) { (.multipart("/users/import"), .unprocessableContent) },
        "GET /users/{username}": .national(.manageUsers) { (.get("/users/\(matrixUsername)"), .ok) },
        "POST /users/{username}": .national(.manageUsers) {
            (.form("/users/\(matrixUsername)", [("name", "Matrix"), ("version", "0")]), .preconditionFailed)
        },
        "POST /users/{username}/deactivate": .national(.manageUsers) {
            (.form("/users/\(matrixUsername)/deactivate", [("version", "0")]), .preconditionFailed)
        },
        "POST /users/{username}/reactivate": .national(.manageUsers) {
            (.form("/users/\(matrixUsername)/reactivate", [("version", "0")]), .preconditionFailed)
        },
        "POST /users/{username}/reset-link": .national(.manageUsers) { (.form("/users/\(matrixUsername)/reset-link"), .conflict) },
        "GET /reset/{secret}": .open,
        "POST /reset/{secret}": .open,
        "GET /api/v1/users": .national(.manageUsers) { (.get("/api/v1/users?limit=5"), .ok) },
        "POST /api/v1/users": .national(.manageUsers) {
            (.json(.post, "/api/v1/users", #"{"username": "x", "name": "", "role": "auditor", "organisation": "NPO"}"#), .unprocessableContent)
        },
        "POST /api/v1/users/import": .national(.manageUsers) {
            (MatrixRequest(method: .post, uri: "/api/v1/users/import?dryRun=true", headers: [.contentType: "text/csv"],
                           body: "username,name,role,organisation\nmatrix-new,Matrix,galaxy,NPO\n"), .unprocessableContent)
        },
        "GET /api/v1/users/{username}": .national(.manageUsers) { (.get("/api/v1/users/\(matrixUsername)"), .ok) },
        "PATCH /api/v1/users/{username}": .national(.manageUsers) {
            (stale(.patch, "/api/v1/users/\(matrixUsername)", #"{"name": "Matrix"}"#), .preconditionFailed)
        },
        "POST /api/v1/users/{username}/deactivate": .national(.manageUsers) {
            (stale(.post, "/api/v1/users/\(matrixUsername)/deactivate", "{}"), .preconditionFailed)
        },
        "POST /api/v1/users/{username}/reactivate": .national(.manageUsers) {
            (stale(.post, "/api/v1/users/\(matrixUsername)/reactivate", "{}"), .preconditionFailed)
        },
        "POST /api/v1/users/{username}/reset-link": .national(.manageUsers) {
            (.json(.post, "/api/v1/users/\(matrixUsername)/reset-link"), .conflict)
        },
    ]

    /// Adds the deactivated user the users routes are tried on.
    static func seedUserRecords(_ store: SQLStore, dataset: ProgrammeDataset) async throws {
        let trust = dataset.organisations.first { $0.kind == .trust }!
        _ = try await store.addUser(
            UserAccount(username: matrixUsername, displayName: "Matrix User", role: .trustProjectManager, organisationID: trust.id,
                        passwordHash: "!", active: false),
            audit: AuditRecord(at: "2026-11-24T12:00:00Z", actor: "tests", origin: "tests", action: "add user", entityType: "user",
                               entityID: 0, before: nil, after: nil))
    }
}
