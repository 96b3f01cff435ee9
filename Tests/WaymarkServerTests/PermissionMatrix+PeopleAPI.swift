import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The people API (issue 15), built as the pages' entries are: each write stops at 422, 428
    /// or 409 once past authorisation.
    static let peopleAPIRoutes: [String: Rule] = [
        "GET /api/v1/organisations/{code}/people": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/people/forecast": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/ra-equipment": .organisation(.viewRecords),
        "PUT /api/v1/organisations/{code}/ra-equipment": .custom(.registerUsers, .organisation) { target, _ in
            (.json(.put, "/api/v1/organisations/\(target.organisation.code)/ra-equipment", #"{"kits": 20000, "identityAgents": 1}"#), .unprocessableContent)
        },
        "GET /api/v1/organisations/{code}/staff": .organisation(.viewStaff),
        "POST /api/v1/staff": .programmeWide(.manageStaff) {
            (.json(.post, "/api/v1/staff", #"{"name": "", "organisation": "NOWHERE", "jobRole": "R8001", "site": "NOWHERE"}"#), .unprocessableContent)
        },
        "POST /api/v1/staff/import": .programmeWide(.manageStaff) { (.csv("/api/v1/staff/import"), .unprocessableContent) },
        "GET /api/v1/staff/{id}": .custom(.viewStaff, .project) { target, dataset in (.get("/api/v1/staff/\(applicant(target.project, dataset))"), .ok) },
        "PUT /api/v1/staff/{id}": .custom(.manageStaff, .project) { target, dataset in
            (.json(.put, "/api/v1/staff/\(applicant(target.project, dataset))", #"{"name": "x", "organisation": "X", "jobRole": "R8001", "site": "X"}"#),
             .preconditionRequired)
        },
        "GET /api/v1/staff/{id}/registration": .custom(.viewStaff, .project) { target, dataset in
            (.get("/api/v1/staff/\(applicant(target.project, dataset))/registration"), .ok)
        },
        "POST /api/v1/staff/{id}/registration": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/registration", ""), .conflict)
        },
        "POST /api/v1/staff/{id}/registration/identity-check": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/registration/identity-check", #"{"documents": ["passport"]}"#), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/registration/approval": .custom(.sponsorAccess, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/registration/approval", #"{"positions": []}"#), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/registration/smartcard": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/registration/smartcard", #"{"uuid": "1"}"#), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/registration/grant": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/registration/grant"), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/smartcards/{uuid}": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/smartcards/123456789012", #"{"action": "suspend"}"#), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/smartcards/{uuid}/renew": .custom(.registerUsers, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/smartcards/123456789012/renew", #"{"newUUID": "1"}"#), .preconditionRequired)
        },
        "POST /api/v1/staff/{id}/qualifications": .custom(.manageTraining, .project) { target, dataset in
            (.json(.post, "/api/v1/staff/\(applicant(target.project, dataset))/qualifications", #"{"course": "BOGUS"}"#), .unprocessableContent)
        },
        "GET /api/v1/training/courses": .programmeWide(.viewRecords) { (.get("/api/v1/training/courses"), .ok) },
        "POST /api/v1/training/courses": .programmeWide(.manageTraining) {
            (.json(.post, "/api/v1/training/courses", #"{"code": "", "title": "x", "mode": "classroom", "requiresBasicSkills": false}"#), .unprocessableContent)
        },
        "POST /api/v1/training/results": .programmeWide(.manageTraining) { (.csv("/api/v1/training/results"), .unprocessableContent) },
        "GET /api/v1/projects/{code}/training-needs": .project(.viewRecords),
        "PUT /api/v1/projects/{code}/training-needs": .custom(.manageTraining, .project) { target, _ in
            (.json(.put, "/api/v1/projects/\(target.project.code)/training-needs", #"{"needs": [{"jobRole": "R8001", "course": "BOGUS"}]}"#), .unprocessableContent)
        },
        "GET /api/v1/organisations/{code}/training-sessions": .organisation(.viewRecords),
        "POST /api/v1/organisations/{code}/training-sessions": .custom(.manageTraining, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/training-sessions",
                   #"{"course": "BOGUS", "venue": "x", "on": "2026-01-05", "trainer": 1, "capacity": 1}"#), .unprocessableContent)
        },
        "GET /api/v1/training-sessions/{id}": .custom(.viewRecords, .project) { target, dataset in
            (.get("/api/v1/training-sessions/\(session(target.project, dataset))"), .ok)
        },
        "POST /api/v1/training-sessions/{id}/bookings": .custom(.recordTraining, .project) { target, dataset in
            (.json(.post, "/api/v1/training-sessions/\(session(target.project, dataset))/bookings", #"{"staff": \#(applicant(target.project, dataset))}"#),
             .preconditionRequired)
        },
        "POST /api/v1/training-sessions/{id}/bookings/{staff}/cancel": .custom(.recordTraining, .project) { target, dataset in
            (.json(.post, "/api/v1/training-sessions/\(session(target.project, dataset))/bookings/\(applicant(target.project, dataset))/cancel", ""), .preconditionRequired)
        },
        "POST /api/v1/training-sessions/{id}/attendance": .custom(.recordTraining, .project) { target, dataset in
            (.json(.post, "/api/v1/training-sessions/\(session(target.project, dataset))/attendance",
                   #"{"staff": \#(applicant(target.project, dataset)), "attended": true}"#), .preconditionRequired)
        },
        "POST /api/v1/training-sessions/{id}/evaluations": .custom(.recordTraining, .project) { target, dataset in
            (.json(.post, "/api/v1/training-sessions/\(session(target.project, dataset))/evaluations",
                   #"{"staff": \#(applicant(target.project, dataset)), "ratings": [9]}"#), .unprocessableContent)
        },
    ]
}
