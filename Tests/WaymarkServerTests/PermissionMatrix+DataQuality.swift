import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Data-quality checks and migration loads (issue 14): reads follow the project; a check or a
    /// load needs `.recordReadiness`, and the matrix sends no file, an empty file or an unnamed
    /// load, so getting past authorisation shows as 422.
    static let dataQualityRoutes: [String: Rule] = [
        "GET /projects/{code}/data-quality": .project(.viewRecords),
        "GET /api/v1/projects/{code}/data-quality": .project(.viewRecords),
        "POST /projects/{code}/data-quality": .custom(.recordReadiness, .project) { target, _ in
            (.multipart("/projects/\(target.project.code)/data-quality"), .unprocessableContent)
        },
        "POST /projects/{code}/migration-loads": .custom(.recordReadiness, .project) { target, _ in
            (.form("/projects/\(target.project.code)/migration-loads", [("name", ""), ("loadedOn", "2020-01-01"), ("migrated", "1"),
                                                                         ("verified", "1"), ("rejected", "0")]), .unprocessableContent)
        },
        "POST /api/v1/projects/{code}/data-quality-checks": .custom(.recordReadiness, .project) { target, _ in
            (.csv("/api/v1/projects/\(target.project.code)/data-quality-checks"), .unprocessableContent)
        },
        "POST /api/v1/projects/{code}/migration-loads": .custom(.recordReadiness, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/migration-loads",
                   #"{"name": "", "loadedOn": "2020-01-01", "migrated": 1, "verified": 1, "rejected": 0}"#), .unprocessableContent)
        },
    ]
}
