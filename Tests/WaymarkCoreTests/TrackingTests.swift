import Testing
@testable import WaymarkCore

@Suite("Tracking Database rules")
struct TrackingTests {
    static let today = Day(iso: "2026-11-24")!
    static let trust = Organisation(id: 40, code: "RT1", name: "Trust", kind: .trust, parentID: 30,
                                    ancestry: Ancestry(clusterID: 10, shaID: 20, lhcID: 30, trustID: 40))

    static func risk(probability: Int = 30) -> TrackingItem {
        TrackingItem(kind: .risk, owner: .organisation(trust), title: "N3 late", area: .it,
                     inherent: Assessment(priority: .significant, controllability: .c, probability: probability),
                     ownerName: "Grace Hughes", reviewDate: today, raisedOn: today)
    }

    @Test("probability bands: the guide's overlap at 60 goes to the stronger response; above 70 needs a documented one",
          arguments: [(0, RequiredResponse.monitor), (39, .monitor), (40, .actionPlan), (59, .actionPlan), (60, .contingencyPlan),
                      (70, .contingencyPlan), (71, .documentedResponse), (100, .documentedResponse)])
    func bands(probability: Int, expected: RequiredResponse) {
        #expect(RequiredResponse.forProbability(probability) == expected)
    }

    @Test("a risk missing its required plan is flagged until the plan is there")
    func flagging() {
        var risk = Self.risk(probability: 75)
        #expect(risk.missingResponse.count == 3)
        risk.actions = [MitigatingAction(description: "Chase BT", owner: "Ben Shaw", due: Self.today)]
        risk.contingencyPlan = "Delay go-live"
        #expect(risk.missingResponse == ["a documented response"])
        risk.response = "Reduce"
        #expect(!risk.isFlagged)
        var low = Self.risk(probability: 39)
        #expect(!low.isFlagged)
        low.status = .closed
        low.inherent.probability = 90
        #expect(!low.isFlagged, "closed risks are not flagged")
        var issue = Self.risk(probability: 90)
        issue.kind = .issue
        #expect(!issue.isFlagged, "issues are not banded")
    }

    @Test("escalation goes one level up: project → trust, trust and LHC → SHA, SHA → cluster, cluster → national, never beyond")
    func escalationPath() throws {
        let a = Ancestry(clusterID: 10, shaID: 20, lhcID: 30, trustID: 40, siteID: 50)
        func target(_ kind: OrganisationKind, project: Bool = false, ancestry: Ancestry = a) -> OrganisationKind? {
            TrackingRules.escalationTarget(of: RegisterOwner(organisationID: 1, organisationKind: kind, projectID: project ? 7 : nil,
                                                             ancestry: ancestry))?.kind
        }
        #expect(target(.site, project: true) == .trust)
        #expect(target(.lhc, project: true, ancestry: Ancestry(clusterID: 10, shaID: 20, lhcID: 30)) == .lhc)
        #expect(target(.trust) == .sha)
        #expect(target(.lhc) == .sha)
        #expect(target(.sha) == .cluster)
        #expect(target(.cluster) == .national)
        #expect(target(.national) == nil)
        let trustTarget = try #require(TrackingRules.escalationTarget(of: .organisation(Self.trust)))
        #expect(trustTarget.id == 20)
    }

    @Test("fields parse from text; bad values are refused with messages naming the field and the allowed values")
    func fields() {
        var item = Self.risk()
        #expect(TrackingFields.apply(["probability": "55%", "priority": "1 Showstopper", "controllability": "a"], to: &item, isNew: false).isEmpty)
        #expect(item.inherent == Assessment(priority: .showstopper, controllability: .a, probability: 55))
        let before = item
        for (fields, field, fragment) in [
            (["probability": "101"], "probability", "0 to 100"), (["probability": "-5"], "probability", "0 to 100"),
            (["probability": "lots"], "probability", "0 to 100"), (["priority": "6"], "priority", "1 Showstopper"),
            (["priority": "urgent"], "priority", "5 Lowest"), (["controllability": "E"], "controllability", "A, B, C or D"),
            (["residualProbability": "150"], "residualProbability", "0 to 100"), (["area": "Finance"], "area", "Policy"),
            (["reviewDate": "31/03/2026"], "reviewDate", "YYYY-MM-DD"), (["budget": "1"], "budget", "not a register field"),
            (["status": "escalated"], "status", "its own action"), (["kind": "issue"], "kind", "convert"),
            (["actions": "2026-12-01 | Ben | chase"], "actions", "not a register field"), (["title": " "], "title", "title"),
        ] as [([String: String], String, String)] {
            var copy = before
            let errors = TrackingFields.apply(fields, to: &copy, isNew: false)
            #expect(errors.contains { $0.field == field && $0.message.contains(fragment) }, "\(fields): \(errors)")
        }
    }

    @Test("action rows: blank rows add nothing, and each problem names its row's field")
    func actionRows() {
        typealias Row = TrackingFields.ActionRow
        var item = Self.risk()
        let rows = [Row(due: "2026-12-01", owner: "Ben Shaw", description: "Chase BT"), Row(due: "", owner: "", description: ""),
                    Row(due: " 2026-12-10 ", owner: "Nia Jones", description: "Re-plan training", done: true)]
        #expect(TrackingFields.apply([:], actions: rows, to: &item, isNew: false).isEmpty)
        #expect(item.actions == [MitigatingAction(description: "Chase BT", owner: "Ben Shaw", due: Day(iso: "2026-12-01")!),
                                 MitigatingAction(description: "Re-plan training", owner: "Nia Jones", due: Day(iso: "2026-12-10")!, done: true)])
        let bad = [Row(due: "soon", owner: "Ben", description: "Chase"), Row(due: "2026-12-01", owner: " ", description: "")]
        let errors = TrackingFields.apply([:], actions: bad, to: &item, isNew: false)
        #expect(errors.map(\.field) == ["actions[0].due", "actions[1].owner", "actions[1].description"], "\(errors)")
        var untouched = Self.risk()
        untouched.actions = item.actions
        #expect(TrackingFields.apply(["title": "Renamed"], to: &untouched, isNew: false).isEmpty)
        #expect(untouched.actions == item.actions, "no rows sent leaves the actions as they are")
        #expect(TrackingFields.apply([:], actions: [], to: &untouched, isNew: false).isEmpty && untouched.actions.isEmpty)
    }

    @Test("actions read and write as 'due | owner | description [| done]' lines (the CSV file's column)")
    func actions() throws {
        let text = "2026-12-01 | Ben Shaw | Chase BT for the circuit\n\n2026-12-10 | Nia Jones | Re-plan | training | done"
        let actions = try TrackingFields.parseActions(text).get()
        #expect(actions == [MitigatingAction(description: "Chase BT for the circuit", owner: "Ben Shaw", due: Day(iso: "2026-12-01")!),
                            MitigatingAction(description: "Re-plan | training", owner: "Nia Jones", due: Day(iso: "2026-12-10")!, done: true)])
        #expect(try TrackingFields.parseActions(TrackingFields.formatActions(actions)).get() == actions)
    }

    @Test("converting a risk to an issue keeps its content and links back; an escalated copy links to the original")
    func copies() {
        var risk = Self.risk(probability: 50)
        risk.id = 9
        let issue = TrackingRules.issue(from: risk, occurredOn: Self.today, today: Self.today)
        #expect(issue.kind == .issue && issue.linkedItemID == 9 && issue.title == risk.title && issue.inherent.probability == 100)
        #expect(TrackingRules.validate(issue).isEmpty)
        let sha = RegisterOwner(organisationID: 20, organisationKind: .sha, ancestry: Ancestry(clusterID: 10, shaID: 20))
        let copy = TrackingRules.escalatedCopy(of: risk, to: sha, reason: "Needs SHA funding", today: Self.today)
        #expect(copy.escalatedFromID == 9 && copy.owner == sha && copy.status == .open && copy.escalationReason == "Needs SHA funding")
    }

    @Test("generated registers: deterministic, at every level, with consistent escalation and conversion links")
    func generated() {
        var first = ProgrammeGenerator(scale: .demo, today: Self.today)
        var second = ProgrammeGenerator(scale: .demo, today: Self.today)
        let dataset = first.generate()
        #expect(dataset.tracking == second.generate().tracking)
        let items = dataset.tracking
        #expect(items.count > dataset.projects.count)
        #expect(items.map(\.id) == Array(1...Int64(items.count)))
        #expect(Set(items.map(\.owner.organisationKind)).isSuperset(of: [.national, .cluster, .sha, .lhc, .trust]))
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        let escalated = items.filter { $0.status == .escalated }
        #expect(!escalated.isEmpty)
        for item in escalated { #expect(byID[item.escalatedToID ?? 0]?.escalatedFromID == item.id) }
        let occurred = items.filter { $0.status == .occurred }
        #expect(!occurred.isEmpty)
        for item in occurred { #expect(byID[item.linkedItemID ?? 0]?.kind == .issue) }
        for item in items { #expect(TrackingRules.validate(item).isEmpty, "\(item.reference): \(TrackingRules.validate(item))") }
        #expect(items.contains { $0.isFlagged })
    }
}
