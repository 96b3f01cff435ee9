import Foundation
import WaymarkCore

/// The abuse limits, per node: sign-in failures per account and per IP, and API calls per
/// token and failed token uses per IP. See docs/security.md for why per-node limits suffice.
public struct AbuseLimitRules: Sendable {
    public var signInFailuresPerAccount = RateLimiter.Rule(limit: 5, window: 15 * 60)
    public var signInFailuresPerIP = RateLimiter.Rule(limit: 30, window: 15 * 60)
    public var requestsPerToken = RateLimiter.Rule(limit: 600, window: 60)
    public var badTokensPerIP = RateLimiter.Rule(limit: 30, window: 60)

    public init() {}

    /// Limits so high they never apply, for benchmarks that measure throughput.
    public static var unlimited: AbuseLimitRules {
        var rules = AbuseLimitRules()
        let never = RateLimiter.Rule(limit: Int.max, window: 1)
        rules.signInFailuresPerAccount = never
        rules.signInFailuresPerIP = never
        rules.requestsPerToken = never
        rules.badTokensPerIP = never
        return rules
    }
}

/// The limiters' shared state, behind a lock so concurrent requests count exactly. A lock,
/// not an actor: every API call checks it, and actor hops showed in the HTTP benchmark.
final class AbuseLimits: @unchecked Sendable {
    private let lock = NSLock()
    private var accountFailures: RateLimiter
    private var ipFailures: RateLimiter
    private var tokenRequests: RateLimiter
    private var ipBadTokens: RateLimiter

    init(_ rules: AbuseLimitRules) {
        accountFailures = RateLimiter(rules.signInFailuresPerAccount)
        ipFailures = RateLimiter(rules.signInFailuresPerIP)
        tokenRequests = RateLimiter(rules.requestsPerToken)
        ipBadTokens = RateLimiter(rules.badTokensPerIP)
    }

    /// Whether a sign-in for `account` from `ip` may be tried at all.
    func signInDecision(account: String, ip: String, now: Int64) -> RateLimiter.Decision {
        lock.lock()
        defer { lock.unlock() }
        let decisions = [accountFailures.check(account, now: now), ipFailures.check(ip, now: now)]
        return decisions.max(by: { Self.wait($0) < Self.wait($1) }) ?? .allowed
    }

    func signInFailed(account: String, ip: String, now: Int64) {
        lock.withLock {
            accountFailures.record(account, now: now)
            ipFailures.record(ip, now: now)
        }
    }

    func signInSucceeded(account: String) { lock.withLock { accountFailures.reset(account) } }

    func tokenDecision(tokenID: Int64, now: Int64) -> RateLimiter.Decision {
        lock.withLock { tokenRequests.take(String(tokenID), now: now) }
    }

    func badTokenDecision(ip: String, now: Int64) -> RateLimiter.Decision { lock.withLock { ipBadTokens.check(ip, now: now) } }

    func badToken(ip: String, now: Int64) { lock.withLock { ipBadTokens.record(ip, now: now) } }

    private static func wait(_ decision: RateLimiter.Decision) -> Int64 {
        if case .limited(let seconds) = decision { seconds } else { 0 }
    }
}
