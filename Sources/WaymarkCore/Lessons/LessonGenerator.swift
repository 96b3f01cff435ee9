/// Believable lessons for a generated programme, from `LessonTemplate`s chosen by the stage and
/// product, filled in with the project's site and figures. Deterministic for a dataset.
struct LessonGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    /// A national instance has about five lessons for every six projects (~50,000 at England
    /// scale); the demo keeps a browsable few hundred (one in six).
    var projectsInSixWithALesson: Int { dataset.projects.count >= 10_000 ? 5 : 1 }

    func generate() -> [Lesson] {
        var random = SplitMix64(seed: 46_305)
        var names: [Int64: String] = [:]
        for organisation in dataset.organisations where organisation.kind == .site { names[organisation.id] = organisation.name }
        let templates = Self.templatesByStageAndProduct()
        var lessons: [Lesson] = []
        lessons.reserveCapacity(dataset.projects.count * projectsInSixWithALesson / 6 + 16)
        for project in dataset.projects where random.below(6) < projectsInSixWithALesson {
            let stage = NSIStage(rawValue: random.below(project.stage.rawValue + 1))!
            // Now and then the lesson is about a product this one depends on (N3 under PACS, say).
            let prerequisites = ProductCatalogue.product(code: project.productCode)?.prerequisites ?? []
            let product = !prerequisites.isEmpty && random.below(10) == 0
                ? prerequisites[random.below(prerequisites.count)] : project.productCode
            let candidates = templates[stage.rawValue][product] ?? []
            guard !candidates.isEmpty else { continue }
            let template = candidates[random.below(candidates.count)]
            let detail = LessonDetail(product: Self.shortName(product), place: names[project.organisationID] ?? "the site",
                                      few: 2 + random.below(14), many: 150 + random.below(40) * 50, weeks: 3 + random.below(12),
                                      percent: 8 + random.below(35))
            let text = template.text(detail)
            let recordedOn = recordedDay(project, stage: stage, random: &random)
            var tags = template.tags
            if !tags.contains(product.lowercased()) { tags.append(product.lowercased()) }
            let promotion: LessonPromotion? = random.below(25) == 0
                ? LessonPromotion(by: "National Programme Office", on: min(today, recordedOn.adding(days: 14 + random.below(90)))) : nil
            lessons.append(Lesson(
                id: Int64(lessons.count + 1), stage: stage, area: template.area, productCode: product, title: text.title,
                whatHappened: text.happened, recommendation: text.recommendation, tags: Array(tags.prefix(LessonRules.maximumTags)),
                source: .project(project), recordedBy: Self.person(&random), recordedOn: recordedOn, promotion: promotion))
        }
        return lessons
    }

    /// Lessons are written as a stage closes, or during the stage a project is in now.
    func recordedDay(_ project: ImplementationProject, stage: NSIStage, random: inout SplitMix64) -> Day {
        if let closing = project.milestones.first(where: { $0.kind.stageExited >= stage.rawValue }), let actual = closing.actual {
            return min(today, actual.adding(days: random.below(21)))
        }
        let started = project.milestones.last(where: { $0.kind.stageExited < stage.rawValue })?.actual ?? today.adding(days: -120)
        return max(started, today.adding(days: -1 - random.below(90)))
    }

    /// For each stage, each product's templates: its own and the ones for any product.
    static func templatesByStageAndProduct() -> [[String: [LessonTemplate]]] {
        NSIStage.allCases.map { stage in
            Dictionary(uniqueKeysWithValues: ProductCatalogue.all.map { product in
                (product.code, LessonTemplate.all.filter {
                    $0.stages.contains(stage) && ($0.products.isEmpty || $0.products.contains(product.code))
                })
            })
        }
    }

    /// How a project team writes the product's name in a sentence.
    static func shortName(_ code: String) -> String {
        switch code {
        case "CRS": "NHS CRS"
        case "RA": "user registration"
        case "CAB": "Choose and Book"
        case "CONTACT": "Contact"
        default: code
        }
    }

    static let firstNames = ["Priya", "James", "Sarah", "Mohammed", "Claire", "David", "Aisha", "Gareth", "Helen", "Tom",
                             "Fiona", "Rajesh", "Joanne", "Paul", "Nadia", "Stephen", "Emma", "Kwame", "Louise", "Andrew"]
    static let surnames = ["Patel", "Smith", "Jones", "Khan", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
                           "Thomas", "Roberts", "Ahmed", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Green", "Hall"]

    static func person(_ random: inout SplitMix64) -> String {
        firstNames[random.below(firstNames.count)] + " " + surnames[random.below(surnames.count)]
    }
}
