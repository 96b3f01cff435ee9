import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// A generated person at the project's site whose registration is in progress (each site has
    /// one), so applying again is a 409 and every step without a version a 428: nothing changes.
    static func applicant(_ project: ImplementationProject, _ dataset: ProgrammeDataset) -> Int64 {
        let here = Set(dataset.people.staff.filter { $0.mainSiteID == project.organisationID }.map(\.id))
        var latest: [Int64: Registration] = [:]
        for r in dataset.people.registrations where here.contains(r.staffID) { latest[r.staffID] = r }
        return latest.values.filter { $0.status == .applied }.map(\.staffID).min() ?? 0
    }

    /// The generated training session at the project's site.
    static func session(_ project: ImplementationProject, _ dataset: ProgrammeDataset) -> Int64 {
        dataset.people.sessions.first { $0.organisationID == project.organisationID }?.id ?? 0
    }

    /// Registration Authority, staff and training (issue 15). Staff records need `.viewStaff`
    /// to read; every write below is built to stop at validation (422), a missing version (428)
    /// or a clash (409) once past authorisation.
    static let peopleRoutes: [String: Rule] = [
        "GET /organisations/{code}/people": .organisation(.viewRecords),
        "GET /organisations/{code}/people/forecast": .organisation(.viewRecords),
        "POST /organisations/{code}/ra-equipment": .custom(.registerUsers, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/ra-equipment", [("kits", "-1"), ("identityAgents", "1")]), .unprocessableContent)
        },
        "GET /organisations/{code}/staff": .organisation(.viewStaff),
        "POST /organisations/{code}/staff": .custom(.manageStaff, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/staff", [("name", "")]), .unprocessableContent)
        },
        "POST /organisations/{code}/staff/import": .custom(.manageStaff, .organisation) { target, _ in
            (.multipart("/organisations/\(target.organisation.code)/staff/import"), .unprocessableContent)
        },
        "GET /staff/{id}": .custom(.viewStaff, .project) { target, dataset in (.get("/staff/\(applicant(target.project, dataset))"), .ok) },
        "POST /staff/{id}": .custom(.manageStaff, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))", [("name", "x")]), .preconditionRequired)
        },
        "POST /staff/{id}/registration": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/registration"), .conflict)
        },
        "POST /staff/{id}/registration/identity-check": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/registration/identity-check"), .preconditionRequired)
        },
        "POST /staff/{id}/registration/approval": .custom(.sponsorAccess, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/registration/approval"), .preconditionRequired)
        },
        "POST /staff/{id}/registration/smartcard": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/registration/smartcard"), .preconditionRequired)
        },
        "POST /staff/{id}/registration/grant": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/registration/grant"), .preconditionRequired)
        },
        "POST /staff/{id}/smartcards/{uuid}": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/smartcards/123456789012", [("action", "suspend")]), .preconditionRequired)
        },
        "POST /staff/{id}/smartcards/{uuid}/renew": .custom(.registerUsers, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/smartcards/123456789012/renew"), .preconditionRequired)
        },
        "POST /staff/{id}/qualifications": .custom(.manageTraining, .project) { target, dataset in
            (.form("/staff/\(applicant(target.project, dataset))/qualifications", [("course", "BOGUS")]), .unprocessableContent)
        },
        "GET /training/courses": .programmeWide(.viewRecords) { (.get("/training/courses"), .ok) },
        "POST /training/courses": .programmeWide(.manageTraining) { (.form("/training/courses", [("code", "")]), .unprocessableContent) },
        "POST /training/results": .programmeWide(.manageTraining) { (.multipart("/training/results"), .unprocessableContent) },
        "GET /projects/{code}/training-needs": .project(.viewRecords),
        "POST /projects/{code}/training-needs": .custom(.manageTraining, .project) { target, _ in
            (.form("/projects/\(target.project.code)/training-needs", [("needs", "R8001 BOGUS")]), .unprocessableContent)
        },
        "GET /organisations/{code}/training-sessions": .organisation(.viewRecords),
        "POST /organisations/{code}/training-sessions": .custom(.manageTraining, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/training-sessions", [("course", "BOGUS"), ("site", target.organisation.code)]), .unprocessableContent)
        },
        "GET /training-sessions/{id}": .custom(.viewRecords, .project) { target, dataset in (.get("/training-sessions/\(session(target.project, dataset))"), .ok) },
        "POST /training-sessions/{id}/bookings": .custom(.recordTraining, .project) { target, dataset in
            (.form("/training-sessions/\(session(target.project, dataset))/bookings", [("staff", "\(applicant(target.project, dataset))")]), .preconditionRequired)
        },
        "POST /training-sessions/{id}/bookings/{staff}/cancel": .custom(.recordTraining, .project) { target, dataset in
            (.form("/training-sessions/\(session(target.project, dataset))/bookings/\(applicant(target.project, dataset))/cancel"), .preconditionRequired)
        },
        "POST /training-sessions/{id}/attendance": .custom(.recordTraining, .project) { target, dataset in
            (.form("/training-sessions/\(session(target.project, dataset))/attendance", [("staff", "\(applicant(target.project, dataset))")]), .preconditionRequired)
        },
        "POST /training-sessions/{id}/evaluations": .custom(.recordTraining, .project) { target, dataset in
            (.form("/training-sessions/\(session(target.project, dataset))/evaluations", [("staff", "\(applicant(target.project, dataset))")]), .unprocessableContent)
        },
    ]
}
