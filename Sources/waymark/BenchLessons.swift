import ArgumentParser
import WaymarkCore
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// Lessons at England scale: full-text searches over the ~50,000 seeded lessons (several
    /// queries, through the service as a national user, and one as a supplier), and the
    /// project page's relevant-lessons query, each beside the same SQL run raw.
    func benchLessons(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        let lessons = Int(try await store.database.fetch("SELECT count(*) AS lessons FROM lesson", []).first?.int("lessons") ?? 0)
        print("[\(name)] lessons: \(lessons.formatted()) ...")
        let service = LessonService(programme: ProgrammeService(store: store))
        let national = ActingUser.commandLine(origin: "bench")
        guard let project = try await store.projects(ProjectQuery(scope: .national, productCode: "PACS", stage: .goLive, limit: 1)).items.first?.project,
              let supplierID = project.supplierID else {
            throw ValidationError("The seeded data has no PACS project at go-live.")
        }
        let supplier = ActingUser(name: "bench-supplier", scope: .supplier(id: supplierID), grants: [.viewRecords], origin: "bench")
        let searches: [(String, LessonSearch, ActingUser)] = [
            ("'smartcard lead times'", LessonSearch(text: "smartcard lead times"), national),
            ("'N3 circuit'", LessonSearch(text: "N3 circuit"), national),
            ("'NHS number migration'", LessonSearch(text: "NHS number migration"), national),
            ("'training go-live'", LessonSearch(text: "training go-live"), national),
            ("'PACS' at stage 4", LessonSearch(text: "PACS", stage: .goLive, productCode: "PACS"), national),
            ("'training' (a common word)", LessonSearch(text: "training"), national),
            ("'training' as a supplier", LessonSearch(text: "training"), supplier),
            ("'migration', guidance only", LessonSearch(text: "migration", guidanceOnly: true), national),
        ]
        for (label, search, user) in searches {
            var scoped = search
            scoped.scope = user.scope
            let built = SQLStore.lessonSearchSQL(scoped, dialect: store.database.dialect)
            var total = 0
            let timed = try await median(iterations) { total = try await service.search(search, as: user).total }
            let rawTime = try await median(iterations) { try await raw.fetch(built.sql, built.binds) }
            report.add(name, "lesson search \(label), \(total.formatted()) of \(lessons.formatted()) (median)", timed, rawTime,
                       goal: "<= 20 ms", pass: timed <= 0.02)
        }
        let relevantSQL = SQLStore.relevantLessonsSQL(stage: project.stage, productCode: project.productCode,
                                                      excludingProjectID: project.id, scope: .national, limit: 5)
        let relevant = try await median(iterations) { _ = try await service.relevantLessons(for: project, as: national) }
        let relevantRaw = try await median(iterations) { try await raw.fetch(relevantSQL.sql, relevantSQL.binds) }
        report.add(name, "relevant lessons for a stage and product (median)", relevant, relevantRaw, goal: nil, pass: nil)
    }
}
