/// Fixed-window counting for abuse limits (sign-in failures, API calls). Pure: the caller
/// passes the time, so tests need no clock and the server keeps one instance per rule.
public struct RateLimiter: Sendable {
    public struct Rule: Sendable, Hashable {
        /// Events allowed per window.
        public var limit: Int
        /// Window length in seconds.
        public var window: Int64

        public init(limit: Int, window: Int64) {
            self.limit = limit
            self.window = window
        }
    }

    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused; try again after this many seconds.
        case limited(retryAfter: Int64)
    }

    private struct Window: Sendable {
        var start: Int64
        var count: Int
    }

    public let rule: Rule
    private var windows: [String: Window] = [:]
    /// Bounds memory under a flood of distinct keys: expired windows are swept past this size.
    private let sweepThreshold: Int

    public init(_ rule: Rule, sweepThreshold: Int = 10_000) {
        self.rule = rule
        self.sweepThreshold = sweepThreshold
    }

    /// Whether one more event for `key` is within the limit, without counting it.
    public func check(_ key: String, now: Int64) -> Decision {
        guard let window = windows[key], now < window.start + rule.window, window.count >= rule.limit else { return .allowed }
        return .limited(retryAfter: max(1, window.start + rule.window - now))
    }

    /// Counts one event for `key`.
    public mutating func record(_ key: String, now: Int64) {
        if windows.count >= sweepThreshold { windows = windows.filter { now < $0.value.start + rule.window } }
        if var window = windows[key], now < window.start + rule.window {
            window.count += 1
            windows[key] = window
        } else {
            windows[key] = Window(start: now, count: 1)
        }
    }

    /// Checks and, when allowed, counts: the usual call for limits on every request.
    public mutating func take(_ key: String, now: Int64) -> Decision {
        let decision = check(key, now: now)
        if decision == .allowed { record(key, now: now) }
        return decision
    }

    /// Forgets `key`, e.g. an account's failures after a successful sign-in.
    public mutating func reset(_ key: String) { windows[key] = nil }

    public var trackedKeys: Int { windows.count }
}

/// A growing wait after repeated failures for one key (OWASP ASVS 2.2.1's "ever increasing
/// delays"), used per account and address so that guessing slows down while the same account
/// from anywhere else is untouched. Pure, like `RateLimiter`: the caller passes the time.
public struct FailureBackoff: Sendable {
    public struct Rule: Sendable, Hashable {
        /// Failures allowed before any wait (typing slips).
        public var freeFailures: Int
        /// The wait after the first failure past the free ones; it doubles with each further one.
        public var baseDelay: Int64
        public var maximumDelay: Int64
        /// A key with no failure for this long starts again from nothing; longer than
        /// `maximumDelay`, so a patient guesser never earns a fresh start.
        public var forgetAfter: Int64

        public init(freeFailures: Int, baseDelay: Int64, maximumDelay: Int64, forgetAfter: Int64) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
            self.forgetAfter = forgetAfter
        }

        /// The wait, in seconds, after `failures` failures in a row.
        public func delay(afterFailures failures: Int) -> Int64 {
            guard failures >= freeFailures, freeFailures < Int.max else { return 0 }
            let doublings = min(failures - freeFailures, 40)
            return min(maximumDelay, baseDelay << Int64(doublings))
        }
    }

    private struct State: Sendable {
        var failures: Int
        var last: Int64
    }

    public let rule: Rule
    private var states: [String: State] = [:]
    private let sweepThreshold: Int

    public init(_ rule: Rule, sweepThreshold: Int = 10_000) {
        self.rule = rule
        self.sweepThreshold = sweepThreshold
    }

    /// Whether `key` may try again now, without counting anything.
    public func check(_ key: String, now: Int64) -> RateLimiter.Decision {
        guard let state = states[key], now - state.last < rule.forgetAfter else { return .allowed }
        let wait = state.last + rule.delay(afterFailures: state.failures) - now
        return wait > 0 ? .limited(retryAfter: wait) : .allowed
    }

    /// Counts one failure for `key`.
    public mutating func record(_ key: String, now: Int64) {
        if states.count >= sweepThreshold { states = states.filter { now - $0.value.last < rule.forgetAfter } }
        if var state = states[key], now - state.last < rule.forgetAfter {
            state.failures += 1
            state.last = now
            states[key] = state
        } else {
            states[key] = State(failures: 1, last: now)
        }
    }

    /// Forgets `key`'s failures, after a success.
    public mutating func reset(_ key: String) { states[key] = nil }

    public var trackedKeys: Int { states.count }
}
