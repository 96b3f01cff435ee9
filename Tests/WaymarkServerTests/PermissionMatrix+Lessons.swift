import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The Lessons routes (issue 4).
    static let lessonRoutes: [String: Rule] = [:]
}
