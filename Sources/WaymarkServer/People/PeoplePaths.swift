/// Where the people pages live (issue 15).
enum PeoplePaths {
    static func readiness(_ code: String) -> String { "/organisations/\(urlEncoded(code))/people" }
    static func forecast(_ code: String) -> String { "/organisations/\(urlEncoded(code))/people/forecast" }
    static func equipment(_ code: String) -> String { "/organisations/\(urlEncoded(code))/ra-equipment" }
    static func staff(_ code: String) -> String { "/organisations/\(urlEncoded(code))/staff" }
    static func person(_ id: Int64) -> String { "/staff/\(id)" }
    static func sessions(_ code: String) -> String { "/organisations/\(urlEncoded(code))/training-sessions" }
    static func session(_ id: Int64) -> String { "/training-sessions/\(id)" }
    static func needs(_ code: String) -> String { "/projects/\(urlEncoded(code))/training-needs" }
    static let courses = "/training/courses"
    static let results = "/training/results"
}
