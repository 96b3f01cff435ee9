extension Schema {
    /// Change Review Boards, Change Control Notes, re-baselining and DIPs (issue 4).
    static let changeControlMigration = Migration(version: 8, name: "change control and DIPs") { _ in [] }
}
