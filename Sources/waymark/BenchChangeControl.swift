import WaymarkCore
import WaymarkStorage

extension Bench {
    /// Issue 4's ChangeControl figures at England scale, each beside raw SQL.
    func benchChangeControl(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {}
}
