import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The going-live list (issue 14, part 6): it follows the organisation, like its page.
    static let goingLiveRoutes: [String: Rule] = [
        "GET /organisations/{code}/going-live": .organisation(.viewRecords),
        "GET /organisations/{code}/going-live.csv": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/going-live": .organisation(.viewRecords),
    ]
}
