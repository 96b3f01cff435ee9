import Foundation
import WaymarkCore

/// Who is acting, what they may do and see, and from where. Every service call takes one, so
/// authorisation and audit have a single place to look. Deny by default: with no scope or no
/// grant, nothing is allowed.
public struct ActingUser: Sendable, Hashable {
    /// The username (or "cli" for the operator's command line); recorded in audit entries.
    public var name: String
    public var account: UserAccount?
    public var role: Role?
    /// nil denies every record.
    public var scope: AccessScope?
    /// The role's activities, narrowed by an API token's scopes.
    public var grants: Set<Activity>
    /// Where the request came from: an IP address, or "cli".
    public var origin: String
    /// The API token used, if any (for its rate limit and audit).
    public var tokenID: Int64?
    /// That token's scopes, which narrow `grants`.
    public var tokenScopes: Set<TokenScope>?

    public init(name: String, account: UserAccount? = nil, role: Role? = nil, scope: AccessScope?,
                grants: Set<Activity>, origin: String, tokenID: Int64? = nil, tokenScopes: Set<TokenScope>? = nil) {
        self.name = name
        self.account = account
        self.role = role
        self.scope = scope
        self.grants = grants
        self.origin = origin
        self.tokenID = tokenID
        self.tokenScopes = tokenScopes
    }

    /// A signed-in user: their role at their organisation gives the scope; a token narrows the grants.
    public static func signedIn(_ account: UserAccount, at organisation: Organisation, origin: String,
                                tokenScopes: Set<TokenScope>? = nil, tokenID: Int64? = nil) -> ActingUser {
        var grants = account.role.activities
        if let tokenScopes { grants.formIntersection(tokenScopes.reduce(into: Set<Activity>()) { $0.formUnion($1.activities) }) }
        let scope = account.active ? AccessScope.of(role: account.role, at: organisation) : nil
        return ActingUser(name: account.username, account: account, role: account.role, scope: scope,
                          grants: scope == nil ? [] : grants, origin: origin, tokenID: tokenID, tokenScopes: tokenScopes)
    }

    /// The operator at the command line, who already holds the database: national scope.
    public static func commandLine(origin: String = "cli") -> ActingUser {
        ActingUser(name: "cli", scope: .national, grants: Set(Activity.allCases), origin: origin)
    }

    /// Nobody: denied everything.
    public static func anonymous(origin: String) -> ActingUser {
        ActingUser(name: "anonymous", scope: nil, grants: [], origin: origin)
    }

    public func permits(_ activity: Activity) -> Bool { scope != nil && grants.contains(activity) }

    /// Why `activity` is refused, naming what refused it: no scope, the token's scopes (when
    /// the role alone would allow it), or the role.
    public func refusal(_ activity: Activity) -> String {
        if scope == nil {
            return "Your account has no access to programme records. Ask a system administrator to check your role and organisation."
        }
        if let tokenScopes, role?.activities.contains(activity) ?? true {
            let needed = TokenScope.allCases.filter { $0.activities.contains(activity) }.map(\.rawValue).joined(separator: " or ")
            return tokenScopes == [.read]
                ? "This token is read-only: it has the read scope, and this needs the \(needed) scope. Create a token with the \(needed) scope on your account page."
                : "This token's scopes (\(tokenScopes.map(\.rawValue).sorted().joined(separator: ", "))) do not include \(needed), which this needs."
        }
        return "Your role (\(role?.title ?? name)) does not permit this. Ask your programme office if you need it."
    }

    public var isSupplier: Bool { if case .supplier = scope { true } else { false } }
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
