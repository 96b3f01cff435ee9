import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Operational Readiness Reports (issue 14). Reads follow the project; generating needs
    /// `.recordReadiness` (it adds a report, which changes nothing else); signing needs
    /// `.decideGates` and stops at 404 for a report that does not exist, before the Board check.
    static let readinessReportRoutes: [String: Rule] = [
        "GET /projects/{code}/readiness-reports": .project(.viewRecords),
        "POST /projects/{code}/readiness-reports": .custom(.recordReadiness, .project) { target, _ in
            (.form("/projects/\(target.project.code)/readiness-reports"), .seeOther)
        },
        "GET /projects/{code}/readiness-reports/{number}": .custom(.viewRecords, .project) { target, _ in
            (.get("/projects/\(target.project.code)/readiness-reports/999999"), .notFound)
        },
        "POST /projects/{code}/readiness-reports/{number}/sign-off": .custom(.decideGates, .project) { target, _ in
            (.form("/projects/\(target.project.code)/readiness-reports/999999/sign-off"), .notFound)
        },
        "GET /api/v1/projects/{code}/readiness-reports": .project(.viewRecords),
        "POST /api/v1/projects/{code}/readiness-reports": .custom(.recordReadiness, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/readiness-reports"), .created)
        },
        "GET /api/v1/projects/{code}/readiness-reports/{number}": .custom(.viewRecords, .project) { target, _ in
            (.get("/api/v1/projects/\(target.project.code)/readiness-reports/999999"), .notFound)
        },
        "POST /api/v1/projects/{code}/readiness-reports/{number}/sign-off": .custom(.decideGates, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/readiness-reports/999999/sign-off"), .notFound)
        },
    ]
}
