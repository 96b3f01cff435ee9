import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The Tracking routes (issue 4).
    static let trackingRoutes: [String: Rule] = [:]
}
