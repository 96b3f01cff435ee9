/// Generated readiness records for a national-scale dataset (issue 14): what a programme would
/// hold for its projects in Local Design and later that have not yet gone live.
public struct ReadinessRecords: Sendable {
    public var surveys: [SurveyResponse] = []
    public var checklists: [GoLiveChecklist] = []
    public var dataQuality: [DataQualityCheck] = []
    /// Reports to store as snapshots; the loader hashes each one.
    public var reports: [ReadinessReport] = []
    public init() {}
}

/// Deterministic for a dataset. Projects in stage 2 or later that have not gone live answer the
/// ORA and three baseline surveys; those in stage 3 or later also have data-quality checks and
/// three Go Live Checklists, mostly signed; most of those due within 120 days have an ORR,
/// mostly signed by the Board.
struct ReadinessGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    static let baseline: [SurveyKind] = [.data, .hardware, .infrastructure]
    static let checklists = ["technical", "data", "cutover"]

    func generate() -> ReadinessRecords {
        var random = SplitMix64(seed: 14_014)
        var records = ReadinessRecords()
        let sites = Dictionary(dataset.organisations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let at = "\(today.adding(days: -7).iso)T09:00:00Z"
        let catalogue = SurveyCatalogue.latest
        for project in dataset.projects where project.isLive && project.stage.rawValue >= 2 {
            guard let goLive = project.milestone(.goLiveCompleted), goLive.actual == nil else { continue }
            var surveys: [ReadinessInputs.Survey] = []
            for kind in [SurveyKind.organisationalReadiness] + Self.baseline {
                let roll = random.below(10)
                let overall: ReadinessRating = roll < 6 ? .ready : roll < 9 ? .partlyReady : .notReady
                let questions = catalogue.questions(kind).filter { $0.scale == .readiness }.prefix(2)
                let answers = questions.enumerated().map { i, q in
                    SurveyAnswer(questionID: q.id, rating: i == 0 ? overall : .ready, count: nil,
                                 finding: overall == .ready || i > 0 ? "" : "Found at the site survey.",
                                 actions: overall == .ready || i > 0 ? [] : [SurveyAction(text: "Agree a fix with the supplier", owner: "Project manager", due: today.adding(days: 21))])
                }
                let signed = random.below(2) == 0
                records.surveys.append(SurveyResponse(
                    id: Int64(records.surveys.count + 1), projectID: project.id, kind: kind, catalogueVersion: catalogue.number, version: 1,
                    answers: answers, updatedBy: "Project manager", updatedAt: at, signedOffVersion: signed ? 1 : nil,
                    signedOffBy: signed ? "Project Board" : nil, signedOffAt: signed ? at : nil))
                surveys.append(.init(kind: kind, overall: overall, version: 1, signedOff: signed, openFindings: []))
            }
            guard project.stage.rawValue >= 3 else { continue }
            var checks: [ReadinessInputs.DataQualityPoint] = []
            for monthsAgo in [2, 1] {
                let records_ = 20_000 + random.below(180_000)
                var counts = DataQualityCounts(source: .extract)
                counts.records = records_
                counts.missing = records_ / 200
                counts.invalid = records_ * (1 + random.below(40)) / 1000
                counts.valid = records_ - counts.missing - counts.invalid
                counts.duplicates = records_ / 500
                let on = today.adding(days: -30 * monthsAgo)
                records.dataQuality.append(DataQualityCheck(id: Int64(records.dataQuality.count + 1), projectID: project.id, checkedOn: on,
                                                            checkedAt: "\(on.iso)T10:00:00Z", checkedBy: "Data migration lead", counts: counts))
                checks.append(.init(checkedOn: on, records: counts.records, validPerMille: counts.validPerMille, duplicates: counts.duplicates))
            }
            for code in Self.checklists {
                guard let template = GoLiveChecklistCatalogue.template(code) else { continue }
                let items = template.items.map { item in
                    random.below(5) == 0 ? ChecklistItemState(itemID: item.id, owner: "Project manager")
                        : ChecklistItemState(itemID: item.id, owner: "Project manager", evidence: "In the project file", signedBy: "Project manager", signedAt: at)
                }
                records.checklists.append(GoLiveChecklist(id: Int64(records.checklists.count + 1), projectID: project.id, templateCode: code,
                                                          version: 1 + items.count, items: items, startedBy: "Project manager", startedAt: at))
            }
            let due = goLive.forecast ?? goLive.baseline ?? today
            guard due.ordinal - today.ordinal <= 120, random.below(10) < 7 else { continue }
            let inputs = ReadinessInputs(
                projectCode: project.code, productCode: project.productCode, siteName: sites[project.organisationID] ?? project.code,
                goLiveForecast: due, surveys: SurveyKind.allCases.map { kind in
                    surveys.first { $0.kind == kind } ?? .init(kind: kind, overall: nil, version: 0, signedOff: false, openFindings: [])
                }, register: [], serious: [], safety: .init(openHazards: 0, blocking: [], signedBy: nil, signedAt: nil, signOffCurrent: false),
                dataQuality: checks, migration: nil,
                criticalPath: .init(problem: "No plan has been loaded, so there is no critical path to go-live.", goLive: nil, tasks: [], more: 0),
                training: nil)
            let signed = random.below(10) < 7
            records.reports.append(ReadinessReport(id: Int64(records.reports.count + 1), projectID: project.id, number: 1, inputs: inputs,
                                                   generatedBy: "Project manager", generatedAt: at, signedBy: signed ? "Project Board" : nil,
                                                   signedAt: signed ? at : nil))
        }
        return records
    }
}
