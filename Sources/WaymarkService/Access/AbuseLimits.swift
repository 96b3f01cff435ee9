import Foundation
import WaymarkCore

/// The abuse limits, per node. Sign-in: a growing wait per account and address, and a budget
/// of failures per address. API: calls per token, and failed token uses per address. None of
/// them stops a right password from another address, or a valid token from any address.
/// See docs/security.md.
public struct AbuseLimitRules: Sendable {
    /// Per (account, address): 3 free failures, then 1 s doubling to 15 minutes between tries.
    public var signInBackoff = FailureBackoff.Rule(freeFailures: 3, baseDelay: 1, maximumDelay: 15 * 60, forgetAfter: 60 * 60)
    /// Failures from one address across all accounts. Generous, since a NAT or an untrusted
    /// proxy puts many people behind one address; it bounds password spraying.
    public var signInFailuresPerIP = RateLimiter.Rule(limit: 100, window: 15 * 60)
    public var requestsPerToken = RateLimiter.Rule(limit: 600, window: 60)
    /// Refused tokens from one address. Only bad tokens are refused past it: a valid one
    /// always passes (256-bit tokens cannot be guessed, so this only sheds a noisy client).
    public var badTokensPerIP = RateLimiter.Rule(limit: 30, window: 60)

    public init() {}

    /// Limits so high they never apply, for benchmarks that measure throughput.
    public static var unlimited: AbuseLimitRules {
        var rules = AbuseLimitRules()
        let never = RateLimiter.Rule(limit: Int.max, window: 1)
        rules.signInBackoff.freeFailures = Int.max
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
    private var pairFailures: FailureBackoff
    private var addressFailures: RateLimiter
    private var tokenRequests: RateLimiter
    private var addressBadTokens: RateLimiter

    init(_ rules: AbuseLimitRules) {
        pairFailures = FailureBackoff(rules.signInBackoff)
        addressFailures = RateLimiter(rules.signInFailuresPerIP)
        tokenRequests = RateLimiter(rules.requestsPerToken)
        addressBadTokens = RateLimiter(rules.badTokensPerIP)
    }

    /// Addresses are counted by their IPv6 /64, which one client usually holds whole.
    static func addressKey(_ origin: String) -> String { IPAddress(origin)?.abuseKey ?? origin }

    static func pairKey(_ account: String, _ origin: String) -> String { account + "\u{0}" + addressKey(origin) }

    /// Whether a sign-in for `account` from `origin` may be tried at all.
    func signInDecision(account: String, origin: String, now: Int64) -> RateLimiter.Decision {
        lock.withLock {
            let decisions = [pairFailures.check(Self.pairKey(account, origin), now: now),
                             addressFailures.check(Self.addressKey(origin), now: now)]
            return decisions.max(by: { Self.wait($0) < Self.wait($1) }) ?? .allowed
        }
    }

    func signInFailed(account: String, origin: String, now: Int64) {
        lock.withLock {
            pairFailures.record(Self.pairKey(account, origin), now: now)
            addressFailures.record(Self.addressKey(origin), now: now)
        }
    }

    /// Clears this pair's wait; the address budget stays spent, or one known password would
    /// let a guesser reset it.
    func signInSucceeded(account: String, origin: String) {
        lock.withLock { pairFailures.reset(Self.pairKey(account, origin)) }
    }

    func tokenDecision(tokenID: Int64, now: Int64) -> RateLimiter.Decision {
        lock.withLock { tokenRequests.take(String(tokenID), now: now) }
    }

    /// Counts a refused token, and says whether this address is past its budget of them.
    func badToken(origin: String, now: Int64) -> RateLimiter.Decision {
        lock.withLock { addressBadTokens.take(Self.addressKey(origin), now: now) }
    }

    private static func wait(_ decision: RateLimiter.Decision) -> Int64 {
        if case .limited(let seconds) = decision { seconds } else { 0 }
    }
}
