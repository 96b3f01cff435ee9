import Testing
import WaymarkCore

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test func allowsUpToTheLimitThenRefusesUntilTheWindowEnds() {
        var limiter = RateLimiter(.init(limit: 3, window: 60))
        for second in 0..<3 { #expect(limiter.take("ip:1", now: 1000 + Int64(second)) == .allowed) }
        #expect(limiter.take("ip:1", now: 1010) == .limited(retryAfter: 50))
        #expect(limiter.take("ip:1", now: 1059) == .limited(retryAfter: 1))
        // A new window starts once the old one has passed.
        #expect(limiter.take("ip:1", now: 1060) == .allowed)
    }

    @Test func keysAreIndependentAndResetForgetsOne() {
        var limiter = RateLimiter(.init(limit: 1, window: 60))
        limiter.record("account:a", now: 0)
        #expect(limiter.check("account:a", now: 1) != .allowed)
        #expect(limiter.check("account:b", now: 1) == .allowed)
        limiter.reset("account:a")
        #expect(limiter.check("account:a", now: 1) == .allowed)
    }

    @Test func checkDoesNotCount() {
        var limiter = RateLimiter(.init(limit: 1, window: 60))
        for _ in 0..<5 { #expect(limiter.check("k", now: 0) == .allowed) }
        #expect(limiter.take("k", now: 0) == .allowed)
        #expect(limiter.take("k", now: 0) == .limited(retryAfter: 60))
    }

    @Test func expiredWindowsAreSweptSoMemoryStaysBounded() {
        var limiter = RateLimiter(.init(limit: 5, window: 10), sweepThreshold: 100)
        for i in 0..<100 { limiter.record("flood-\(i)", now: 0) }
        #expect(limiter.trackedKeys == 100)
        limiter.record("late", now: 20)
        #expect(limiter.trackedKeys == 1)
    }

    @Test func failuresEarnADoublingWaitThatStopsAtTheMaximum() {
        let rule = FailureBackoff.Rule(freeFailures: 3, baseDelay: 1, maximumDelay: 900, forgetAfter: 3600)
        #expect((0...14).map { rule.delay(afterFailures: $0) } == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
        var backoff = FailureBackoff(rule)
        for _ in 0..<3 { backoff.record("pat|10.0.0.1", now: 1000) }
        #expect(backoff.check("pat|10.0.0.1", now: 1000) == .limited(retryAfter: 1))
        #expect(backoff.check("pat|10.0.0.1", now: 1001) == .allowed)
        backoff.record("pat|10.0.0.1", now: 1001)
        #expect(backoff.check("pat|10.0.0.1", now: 1001) == .limited(retryAfter: 2))
        // The same account from another address, and another account from this one, are untouched.
        #expect(backoff.check("pat|10.0.0.2", now: 1001) == .allowed)
        #expect(backoff.check("sam|10.0.0.1", now: 1001) == .allowed)
    }

    @Test func aSuccessOrAnHourWithoutFailureClearsTheWait() {
        var backoff = FailureBackoff(.init(freeFailures: 1, baseDelay: 60, maximumDelay: 900, forgetAfter: 3600))
        backoff.record("k", now: 0)
        #expect(backoff.check("k", now: 10) == .limited(retryAfter: 50))
        backoff.reset("k")
        #expect(backoff.check("k", now: 10) == .allowed)
        backoff.record("k", now: 0)
        backoff.record("k", now: 100)
        #expect(backoff.check("k", now: 100) == .limited(retryAfter: 120))
        backoff.record("k", now: 3700)
        #expect(backoff.check("k", now: 3700) == .limited(retryAfter: 60), "a failure after an hour's quiet counts as the first")
    }
}
