import WaymarkCore
import WaymarkStorage

extension Bench {
    /// Issue 4's Tracking figures at England scale, each beside raw SQL.
    func benchTracking(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {}
}
