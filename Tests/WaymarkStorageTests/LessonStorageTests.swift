import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: lessons learned")
struct LessonStorageTests {
    static let project = Fixture.dataset.projects.first { $0.productCode == "PACS" }!

    static func lesson(_ title: String, happened: String = "Nothing unusual happened.", recommendation: String = "Carry on.",
                       tags: [String] = [], stage: NSIStage = .goLive, area: AreaOfResponsibility = .it) -> Lesson {
        Lesson(stage: stage, area: area, productCode: "PACS", title: title, whatHappened: happened, recommendation: recommendation,
               tags: tags, source: .project(project), recordedBy: "contract test", recordedOn: Fixture.today)
    }

    static func audit(_ action: String) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00.000Z", actor: "contract test", origin: "tests", action: action, entityType: "lesson",
                    entityID: 0, before: nil, after: #"{"note":"\#(action)"}"#)
    }

    static func search(_ text: String, scope: AccessScope? = .national, limit: Int = 25) -> LessonSearch {
        LessonSearch(scope: scope, text: text, limit: limit)
    }

    /// Three lessons with words the generated data never uses, one per field, and a ranking pair.
    static func recordDistinctive(_ store: SQLStore) async throws -> (a: Lesson, b: Lesson, c: Lesson) {
        let a = try await store.recordLesson(lesson("Quokka interface backlog", happened: "The invoicing team could not reconcile orders.",
                                                    recommendation: "Put gazebos at every entrance.", tags: ["wombat-survey"]), audit: audit("a"))
        let b = try await store.recordLesson(lesson("Kestrel kestrel handover", happened: "Kestrel again.", tags: ["kestrel"]), audit: audit("b"))
        let c = try await store.recordLesson(lesson("A long story", happened: String(repeating: "Words about something else entirely. ", count: 20)
                                                    + "Once, a kestrel was mentioned."), audit: audit("c"))
        return (a, b, c)
    }

    @Test("search finds each word, stemmed, in the title, what happened, the recommendation or the tags", arguments: Backend.testable)
    func findsInAnyField(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let (a, _, _) = try await Self.recordDistinctive(scratch.store)
            for text in ["quokka", "Quokka!", "invoices", "invoice", "gazebo", "wombat", "wombat survey", "quokka invoicing gazebos"] {
                let results = try await scratch.store.searchLessons(Self.search(text))
                #expect(results.hits.map(\.lesson.id) == [a.id], "\(text)")
                #expect(results.total == 1, "\(text)")
            }
            #expect(try await scratch.store.searchLessons(Self.search("quokka kestrel")).total == 0, "every word must match")
            let hit = try #require(try await scratch.store.searchLessons(Self.search("invoices")).hits.first)
            #expect(hit.lesson == a)
            #expect(hit.snippet == a.whatHappened)
        }
    }

    @Test("a lesson with the word in its title ranks above one that mentions it once in a long text", arguments: Backend.testable)
    func ranking(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let (_, b, c) = try await Self.recordDistinctive(scratch.store)
            let results = try await scratch.store.searchLessons(Self.search("kestrel"))
            #expect(results.hits.map(\.lesson.id) == [b.id, c.id])
            #expect(results.total == 2)
            #expect(results.hits[1].snippet.contains("kestrel"), "the snippet shows the match: \(results.hits[1].snippet)")
        }
    }

    @Test("query syntax in the text neither fails nor changes the query", arguments: Backend.testable)
    func hostileText(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            _ = try await Self.recordDistinctive(scratch.store)
            let before = try await scratch.count("lesson")
            for text in ["\"", "*", "NEAR(", "-", "OR", "AND", "NOT", "(", ")", "^", ":", "'", "\\", "{title}:", "NEAR(kestrel quokka, 2)",
                         "\"kestrel", "kestrel*", "kestrel -", "-kestrel", "NOT kestrel", "kestrel OR", "kestrel AND OR NOT",
                         "title:kestrel", "'; DROP TABLE lesson; --", "kestrel') OR 1=1 --", "%_%", "k\u{301}estrel", "🦅 kestrel"] {
                let results = try await scratch.store.searchLessons(Self.search(text))
                let words = LessonRules.searchWords(text)
                if words == ["kestrel"] {
                    #expect(results.total == 2, "'\(text)' searches for the word only")
                } else if words.isEmpty {
                    #expect(results.total == Int(before), "'\(text)' has no words: every lesson, most recent first")
                }
            }
            #expect(try await scratch.count("lesson") == before)
        }
    }

    @Test("filters, paging and the browse order match the data", arguments: Backend.testable)
    func filtersAndPaging(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let lessons = Fixture.dataset.lessons
            let newestFirst: (Lesson, Lesson) -> Bool = { ($0.recordedOn, $0.id) > ($1.recordedOn, $1.id) }
            let cases: [(LessonSearch, (Lesson) -> Bool)] = [
                (LessonSearch(scope: .national, stage: .prepare), { $0.stage == .prepare }),
                (LessonSearch(scope: .national, area: .people, productCode: "crs"), { $0.area == .people && $0.productCode == "CRS" }),
                (LessonSearch(scope: .national, guidanceOnly: true), { $0.isGuidance }),
                (LessonSearch(scope: .national, sourceProjectCode: lessons[0].source.projectCode.lowercased()),
                 { $0.source.projectCode == lessons[0].source.projectCode }),
            ]
            for (search, matches) in cases {
                let expected = lessons.filter(matches)
                #expect(!expected.isEmpty, "\(search)")
                let results = try await store.searchLessons(search)
                #expect(results.total == expected.count, "\(search)")
                #expect(results.hits.map(\.lesson) == Array(expected.sorted(by: newestFirst).prefix(25)), "\(search)")
            }
            // Words and filters together: only lessons at the stage, and fewer than without the filter.
            let words = try await store.searchLessons(LessonSearch(scope: .national, text: "training"))
            let filtered = try await store.searchLessons(LessonSearch(scope: .national, text: "training", stage: .prepareForGoLive, limit: 100))
            #expect(filtered.total > 0 && filtered.total < words.total)
            #expect(filtered.hits.count == filtered.total && filtered.hits.allSatisfy { $0.lesson.stage == .prepareForGoLive })
            // Every lesson once, following the cursor.
            var search = LessonSearch(scope: .national, limit: 100)
            var seen: [Int64] = []
            while true {
                let page = try await store.searchLessons(search)
                #expect(page.total == lessons.count)
                seen += page.hits.map(\.lesson.id)
                guard let next = page.nextCursor else { break }
                #expect(page.hits.count == 100)
                search.after = next
            }
            #expect(seen == lessons.sorted(by: newestFirst).map(\.id))
            let pastTheEnd = try await store.searchLessons(LessonSearch(scope: .national, text: "training", after: 100_000))
            #expect(pastTheEnd.hits.isEmpty && pastTheEnd.nextCursor == nil)
        }
    }

    @Test("NHS scopes read every lesson; a supplier reads its projects' lessons and guidance; no scope reads none",
          arguments: Backend.testable)
    func scope(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let lessons = Fixture.dataset.lessons
            let trust = Fixture.organisation(.trust)
            let elsewhere = try #require(lessons.first { $0.source.ancestry.trustID != trust.id })
            #expect(try await store.lesson(id: elsewhere.id, scope: .subtree(kind: .trust, id: trust.id)) == elsewhere)
            #expect(try await store.searchLessons(LessonSearch(scope: .subtree(kind: .trust, id: trust.id))).total == lessons.count)

            let supplierID = try #require(Fixture.project(achieved: 0).supplierID)
            let visible = lessons.filter { $0.source.supplierID == supplierID || $0.isGuidance }
            #expect(visible.count < lessons.count && visible.contains { $0.source.supplierID != supplierID })
            var search = LessonSearch(scope: .supplier(id: supplierID), limit: 100)
            var seen: Set<Int64> = []
            repeat {
                let page = try await store.searchLessons(search)
                #expect(page.total == visible.count)
                seen.formUnion(page.hits.map(\.lesson.id))
                search.after = page.nextCursor
            } while search.after != nil
            #expect(seen == Set(visible.map(\.id)))
            let words = try await store.searchLessons(LessonSearch(scope: .supplier(id: supplierID), text: "training", limit: 100))
            #expect(words.hits.allSatisfy { $0.lesson.source.supplierID == supplierID || $0.lesson.isGuidance })
            let hidden = try #require(lessons.first { $0.source.supplierID != supplierID && !$0.isGuidance })
            let guidance = try #require(lessons.first { $0.source.supplierID != supplierID && $0.isGuidance })
            #expect(try await store.lesson(id: hidden.id, scope: .supplier(id: supplierID)) == nil)
            #expect(try await store.lesson(id: guidance.id, scope: .supplier(id: supplierID)) == guidance)

            #expect(try await store.searchLessons(LessonSearch(scope: nil)).total == 0)
            #expect(try await store.searchLessons(LessonSearch(scope: nil, text: "training")).total == 0)
            #expect(try await store.lesson(id: hidden.id, scope: .subtree(kind: .national, id: 1)) == nil, "a malformed scope denies")
        }
    }

    @Test("relevant lessons: same stage and product, other projects only, guidance first, then the most recent",
          arguments: Backend.testable)
    func relevant(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let lessons = Fixture.dataset.lessons
            let groups = Dictionary(grouping: lessons) { "\($0.stage.rawValue) \($0.productCode)" }
            let busiest = try #require(groups.values.filter { $0.contains(where: \.isGuidance) }.max { $0.count < $1.count })
            let excluded = busiest[0].source.projectID
            let expected = busiest.filter { $0.source.projectID != excluded }
                .sorted { ($0.isGuidance ? 1 : 0, $0.recordedOn, $0.id) > ($1.isGuidance ? 1 : 0, $1.recordedOn, $1.id) }
            #expect(expected.count > 5)
            let found = try await scratch.store.relevantLessons(stage: busiest[0].stage, productCode: busiest[0].productCode,
                                                                excludingProjectID: excluded, scope: .national, limit: 5)
            #expect(found == Array(expected.prefix(5)))
            #expect(found.first?.isGuidance == true)
            let supplierID = try #require(Fixture.dataset.projects.first { $0.id == excluded }?.supplierID)
            let scoped = try await scratch.store.relevantLessons(stage: busiest[0].stage, productCode: busiest[0].productCode,
                                                                 excludingProjectID: excluded, scope: .supplier(id: supplierID), limit: 50)
            #expect(scoped.map(\.id) == expected.filter { $0.isGuidance || $0.source.supplierID == supplierID }.prefix(50).map(\.id))
        }
    }

    @Test("recording numbers the lesson, indexes it and audits it in one transaction; promotion is versioned and audited",
          arguments: Backend.testable)
    func recordAndPromote(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let before = try await store.lessonCount(projectID: Self.project.id)
            let saved = try await store.recordLesson(Self.lesson("Ptarmigan cabling survey", tags: ["cabling"]), audit: Self.audit("record lesson"))
            #expect(saved.id == Int64(Fixture.dataset.lessons.count + 1))
            #expect(saved.reference == Lesson.reference(id: saved.id))
            #expect(saved.version == 1)
            #expect(try await store.lesson(id: saved.id, scope: .national) == saved)
            #expect(try await store.searchLessons(Self.search("ptarmigan")).hits.map(\.lesson) == [saved])
            #expect(try await store.lessonCount(projectID: Self.project.id) == before + 1)
            let recorded = try await store.auditEntries(entityType: "lesson", entityID: saved.id, limit: 10)
            #expect(recorded.map(\.action) == ["record lesson"])

            let promotion = LessonPromotion(by: "demo-npo", on: Fixture.today)
            let stale = await storageError {
                _ = try await store.promoteLesson(id: saved.id, promotion: promotion, expectedVersion: 7, audit: Self.audit("promote"))
            }
            #expect(stale?.code == .conflict)
            #expect(try await store.lesson(id: saved.id, scope: .national) == saved, "a stale promotion changes nothing")
            #expect(try await store.auditEntries(entityType: "lesson", entityID: saved.id, limit: 10).count == 1)

            var audit = Self.audit("promote lesson to guidance")
            audit.entityID = saved.id
            let promoted = try await store.promoteLesson(id: saved.id, promotion: promotion, expectedVersion: 1, audit: audit)
            #expect(promoted.promotion == promotion && promoted.version == 2)
            #expect(try await store.lesson(id: saved.id, scope: .national) == promoted)
            #expect(try await store.auditEntries(entityType: "lesson", entityID: saved.id, limit: 10).map(\.action)
                    == ["promote lesson to guidance", "record lesson"])
            let again = await storageError {
                _ = try await store.promoteLesson(id: saved.id, promotion: promotion, expectedVersion: 2, audit: audit)
            }
            #expect(again?.code == .conflict, "guidance is promoted once")
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }
}
