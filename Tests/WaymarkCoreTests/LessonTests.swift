import Testing
import WaymarkCore

@Suite("Lessons learned: rules")
struct LessonRuleTests {
    static func lesson(title: String = "N3 circuits ordered late", whatHappened: String = "The circuit took 14 weeks.",
                       recommendation: String = "Order at PID sign-off.", product: String = "N3", tags: [String] = ["n3"]) -> Lesson {
        Lesson(stage: .localDesign, area: .it, productCode: product, title: title, whatHappened: whatHappened,
               recommendation: recommendation, tags: tags, source: .project(Fixture.project(.lsp, product: "N3")),
               recordedBy: "demo-trust-pm", recordedOn: today)
    }

    @Test func aCompleteLessonIsValid() {
        #expect(LessonRules.validate(Self.lesson()).isEmpty)
    }

    @Test("each problem names its field", arguments: [
        (LessonRuleTests.lesson(title: "  "), "title"), (LessonRuleTests.lesson(title: String(repeating: "x", count: 201)), "title"),
        (LessonRuleTests.lesson(whatHappened: ""), "whatHappened"), (LessonRuleTests.lesson(recommendation: "\n"), "recommendation"),
        (LessonRuleTests.lesson(recommendation: String(repeating: "y", count: 4001)), "recommendation"),
        (LessonRuleTests.lesson(product: "NOPE"), "product"), (LessonRuleTests.lesson(tags: ["Upper Case"]), "tags"),
        (LessonRuleTests.lesson(tags: (1...9).map { "tag\($0)" }), "tags"),
    ])
    func problems(lesson: Lesson, field: String) {
        let errors = LessonRules.validate(lesson)
        #expect(errors.map(\.field) == [field], "\(errors)")
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test func tagsAreNormalised() {
        let (tags, errors) = LessonRules.normalisedTags("RA, Smartcards,  lead time , ra,,go-live")
        #expect(tags == ["ra", "smartcards", "lead-time", "go-live"])
        #expect(errors.isEmpty)
        let (kept, refused) = LessonRules.normalisedTags(["ok", "no<script>", String(repeating: "a", count: 31)])
        #expect(kept == ["ok"])
        #expect(refused.count == 2 && refused.allSatisfy { $0.field == "tags" })
        #expect(refused[0].message.contains("no<script>"), "the refused tag is named")
        #expect(LessonRules.normalisedTags((1...9).map { "t\($0)" }).errors.count == 1)
    }

    @Test("search words keep letters and digits only, lowercased, without stop words or duplicates")
    func searchWords() {
        #expect(LessonRules.searchWords("Smartcard lead-times") == ["smartcard", "lead", "times"])
        #expect(LessonRules.searchWords(#"" * NEAR( -N3 OR "PACS" AND training* ^x:"#) == ["near", "n3", "pacs", "training", "x"])
        #expect(LessonRules.searchWords("the and or NOT") == [])
        #expect(LessonRules.searchWords("a b c d e f g h j k l m n o p q r") .count == 12)
        #expect(LessonRules.searchWords("Migración") == ["migración"])
    }

    @Test func referencesRoundTrip() {
        #expect(Lesson.reference(id: 42) == "LL-000042")
        #expect(Lesson.reference(id: 1_234_567) == "LL-1234567")
        #expect(Lesson.id(fromReference: "LL-000042") == 42)
        #expect(Lesson.id(fromReference: " ll-42 ") == 42)
        #expect(Lesson.id(fromReference: "42") == 42)
        for bad in ["", "LL-", "LL-0", "-3", "LL-4x", "R-000042", "99999999999999999999"] {
            #expect(Lesson.id(fromReference: bad) == nil, "\(bad)")
        }
    }

    @Test("a snippet is plain, short and starts near the first match")
    func snippets() {
        let long = String(repeating: "Background words about the site. ", count: 12)
            + "Smartcards took twelve weeks to issue because identity checks needed photo ID."
            + String(repeating: " More words follow here.", count: 10)
        let lesson = Self.lesson(whatHappened: long, recommendation: "Start RA sessions early.")
        let snippet = LessonRules.snippet(for: lesson, words: ["smartcard"])
        #expect(snippet.contains("Smartcards took twelve weeks"))
        #expect(snippet.count <= 190)
        #expect(snippet.hasPrefix("… ") && snippet.hasSuffix(" …"))
        #expect(LessonRules.snippet(for: lesson, words: ["sessions"]) == "Start RA sessions early.", "only the recommendation mentions it")
        #expect(LessonRules.snippet(for: lesson, words: []).hasPrefix("Background words"))
    }
}

@Suite("Lessons learned: generator")
struct LessonGeneratorTests {
    static let demo = GeneratorTests.demo

    @Test("the demo has a few hundred believable lessons, the same every time")
    func demoLessons() throws {
        let lessons = Self.demo.lessons
        #expect((200...800).contains(lessons.count), "\(lessons.count) lessons")
        #expect(GeneratorTests.generate().lessons == lessons, "deterministic")
        #expect(lessons.map(\.id) == Array(1...Int64(lessons.count)))
        let projects = Dictionary(uniqueKeysWithValues: Self.demo.projects.map { ($0.id, $0) })
        for lesson in lessons {
            #expect(LessonRules.validate(lesson).isEmpty, "\(lesson.reference): \(LessonRules.validate(lesson))")
            let project = try #require(projects[lesson.source.projectID])
            #expect(lesson.source == .project(project))
            #expect(lesson.stage <= project.stage, "lessons come from stages the project has reached")
            #expect(lesson.recordedOn <= today)
            #expect(lesson.promotion.map { $0.on >= lesson.recordedOn && $0.on <= today } ?? true)
        }
        #expect(Set(lessons.map(\.stage)) == Set(NSIStage.allCases), "every stage")
        #expect(Set(lessons.map(\.area)).count == AreaOfResponsibility.allCases.count, "every area")
        #expect(Set(lessons.map(\.productCode)).count >= 7)
        let guidance = lessons.filter(\.isGuidance).count
        #expect(guidance > 0 && guidance < lessons.count / 10, "\(guidance) promoted")
        #expect(lessons.contains { $0.productCode != projects[$0.source.projectID]!.productCode }, "some are about a prerequisite product")
    }

    @Test("every supplier that delivers projects has lessons that are not guidance (supplier scope is testable)")
    func everySupplierHasLessons() {
        let suppliers = Set(Self.demo.projects.compactMap(\.supplierID))
        let withLessons = Set(Self.demo.lessons.filter { !$0.isGuidance }.compactMap(\.source.supplierID))
        #expect(suppliers.subtracting(withLessons).isEmpty)
    }

    @Test("England scale has about 50,000 lessons")
    func englandLessons() {
        let england = GeneratorTests.generate(.england)
        #expect((45_000...55_000).contains(england.lessons.count), "\(england.lessons.count) lessons")
        #expect(Set(england.lessons.map(\.id)).count == england.lessons.count)
    }
}
