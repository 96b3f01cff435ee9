import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The ChangeControl routes (issue 4).
    static let changeControlRoutes: [String: Rule] = [:]
}
