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
}
