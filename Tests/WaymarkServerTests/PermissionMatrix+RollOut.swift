import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Roll-out templates and roll-outs (issue 13). Templates are programme-wide reference data;
    /// saving one needs the national office; a roll-out stops at an unknown template (404).
    static let rollOutRoutes: [String: Rule] = [
        "GET /rollout": .signedIn,
        "GET /rollout/{code}": .programmeWide(.viewRecords) { (.get("/rollout/NONE"), .notFound) },
        "POST /rollout/templates": .national(.manageOrganisations) {
            (.form("/rollout/templates", [("code", ""), ("name", ""), ("product", "CRS")]), .unprocessableContent)
        },
        "POST /rollout/preview": .programmeWide(.manageOrganisations) {
            (.form("/rollout/preview", [("template", "NONE"), ("within", "NPO"), ("waves", "2030-01-07:5")]), .notFound)
        },
        "POST /rollout/apply": .programmeWide(.manageOrganisations) {
            (.form("/rollout/apply", [("template", "NONE"), ("within", "NPO"), ("waves", "2030-01-07:5"), ("fingerprint", "x")]), .notFound)
        },
        "GET /api/v1/rollout-templates": .programmeWide(.viewRecords) { (.get("/api/v1/rollout-templates"), .ok) },
        "GET /api/v1/rollout-templates/{code}/deviations": .programmeWide(.viewRecords) {
            (.get("/api/v1/rollout-templates/NONE/deviations"), .notFound)
        },
        "POST /api/v1/rollout-templates": .national(.manageOrganisations) {
            (.json(.post, "/api/v1/rollout-templates", #"{"code": "M1", "name": "Matrix", "product": "CRS", "offsets": {}}"#), .unprocessableContent)
        },
        "POST /api/v1/rollout-templates/{code}/upgrade": .national(.manageOrganisations) {
            (.json(.post, "/api/v1/rollout-templates/NONE/upgrade?dryRun=true", "{}"), .notFound)
        },
        "POST /rollout/{code}/upgrade": .national(.manageOrganisations) {
            (.form("/rollout/NONE/upgrade", [("fingerprint", "")]), .notFound)
        },
        "POST /api/v1/rollout-templates/{code}/rollout": .programmeWide(.manageOrganisations) {
            (.json(.post, "/api/v1/rollout-templates/NONE/rollout?dryRun=true", #"{"within": "NPO", "waves": [{"start": "2030-01-07", "perWeek": 5}]}"#),
             .notFound)
        },
    ]
}
