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
