import Foundation
import WaymarkCore

/// Who is acting, and from where; every write takes one so authorisation and audit have a
/// single place to look. Sign-in (issue 3) will fill in a real user and scope.
public struct ActingUser: Sendable, Hashable {
    public var name: String
    public var organisationID: Int64?
    /// Where the request came from: an IP address, "cli", "api".
    public var origin: String

    public init(name: String, organisationID: Int64? = nil, origin: String) {
        self.name = name
        self.organisationID = organisationID
        self.origin = origin
    }
}

/// The time source: today's date in England and timestamps for audit entries.
public struct WaymarkClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    /// A clock fixed at noon UTC on `day`, for tests and benchmarks.
    public static func fixed(_ day: Day) -> WaymarkClock {
        WaymarkClock { Date(timeIntervalSince1970: Double(day.ordinal) * 86_400 + 43_200) }
    }

    /// Today in England (Europe/London), which is what "an actual date cannot be in the future" means to a trust.
    public var today: Day {
        let parts = Self.england.dateComponents([.year, .month, .day], from: now())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Built once: looking up a time zone reads tzdata, too slow to repeat per project.
    private static let england: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
        return calendar
    }()

    public var timestamp: String {
        now().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
