import WaymarkCore
import WaymarkStorage

extension Bench {
    /// Issue 4's Lessons figures at England scale, each beside raw SQL.
    func benchLessons(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {}
}
