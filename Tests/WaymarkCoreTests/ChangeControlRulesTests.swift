import Testing
import WaymarkCore

@Suite("Change control: CCN states and rules")
struct ChangeControlRulesTests {
    static let day = Day(iso: "2026-11-24")!
    static let anchor = ChangeAnchor(ancestry: Ancestry(clusterID: 10))

    static func note(_ state: ChangeState = .raised, assessed: [AssessorDiscipline] = []) -> ChangeControlNote {
        ChangeControlNote(id: 7, clusterID: 10, clusterCode: "CNE", number: 7, type: .technical, title: "Move CRS go-live",
                          description: "Move the go-live by four weeks.", reason: "Data migration is late.",
                          assessments: assessed.map { ChangeAssessment(discipline: $0, assessor: "A. Assessor", recommendation: "Approve", recordedOn: day) },
                          state: state, raisedBy: "Cluster PMO", raisedOn: day, raisedAt: 10, raisedAtAnchor: anchor)
    }

    @Test func referencesArePaddedPerCluster() {
        #expect(Self.note().reference == "CCN-CNE-0007")
        #expect(ChangeControlNote.reference(clusterCode: "CLO", number: 12345) == "CCN-CLO-12345")
    }

    @Test("the state machine allows exactly the guide's path, and deferral back to the board or assessment")
    func stateMachine() {
        #expect(ChangeRules.next(from: .raised) == [.underAssessment])
        #expect(ChangeRules.next(from: .underAssessment) == [.atBoard])
        #expect(ChangeRules.next(from: .atBoard) == [.approved, .rejected, .deferred])
        #expect(ChangeRules.next(from: .deferred) == [.atBoard, .underAssessment])
        #expect(ChangeRules.next(from: .approved) == [.implemented])
        #expect(ChangeRules.next(from: .rejected).isEmpty)
        #expect(ChangeRules.next(from: .implemented).isEmpty)
        #expect(ChangeRules.transitions(from: .atBoard).isEmpty, "only the board moves a note on from the board")
    }

    @Test("every illegal transition is refused with a message naming the current and allowed states",
          arguments: ChangeState.allCases)
    func illegalTransitionsAreRefused(from state: ChangeState) {
        let note = Self.note(state, assessed: AssessorDiscipline.allCases)
        for target in ChangeState.allCases {
            let refusal = ChangeRules.transitionRefusal(note, to: target)
            if target.isDecision {
                #expect(refusal?.contains("Change Review Board decision") == true)
            } else if ChangeRules.next(from: state).contains(target) {
                #expect(refusal == nil, "\(state) → \(target)")
            } else {
                let message = refusal ?? ""
                #expect(message.contains("is \(state.title.lowercased())"), "\(state) → \(target) must be refused: \(message)")
                #expect(message.contains("cannot move to \(target.title.lowercased())"))
            }
        }
    }

    @Test func refusalsSayWhereTheNoteCanGo() {
        #expect(ChangeRules.transitionRefusal(Self.note(.raised), to: .implemented)
            == "CCN-CNE-0007 is raised: it cannot move to implemented; it can move only to under assessment.")
        #expect(ChangeRules.transitionRefusal(Self.note(.rejected), to: .atBoard)
            == "CCN-CNE-0007 is rejected: it cannot move to at change review board; it can move no further.")
        #expect(ChangeRules.transitionRefusal(Self.note(.atBoard), to: .underAssessment)?
            .contains("only a board decision (approved, rejected or deferred) can move it") == true)
    }

    @Test("going to the board needs all five disciplines' assessments, and says which are missing")
    func boardNeedsEveryAssessment() {
        let partial = Self.note(.underAssessment, assessed: [.commercial, .technical, .programmeControls])
        #expect(partial.missingAssessments == [.quality, .seniorSponsor])
        #expect(ChangeRules.transitionRefusal(partial, to: .atBoard)
            == "CCN-CNE-0007 cannot go to the Change Review Board until every discipline has assessed it: missing quality and senior sponsor.")
        #expect(ChangeRules.transitionRefusal(Self.note(.underAssessment, assessed: AssessorDiscipline.allCases), to: .atBoard) == nil)
    }

    @Test func onlyANoteAtTheBoardCanBeDecided() {
        #expect(ChangeRules.decisionRefusal(Self.note(.atBoard)) == nil)
        #expect(ChangeRules.decisionRefusal(Self.note(.underAssessment))?.contains("not at the Change Review Board") == true)
        #expect(DecisionOutcome.deferred.state == .deferred)
    }

    @Test func validationNamesEachField() {
        var note = Self.note()
        note.title = " "
        note.reason = ""
        note.impact.costPounds = -5
        note.raisedBy = ""
        note.assessments = [ChangeAssessment(discipline: .quality, assessor: "", recommendation: "", recordedOn: Self.day)]
        let fields = Set(ChangeRules.validate(note).map(\.field))
        #expect(fields == ["title", "reason", "costPounds", "raisedBy", "assessor", "recommendation"])
        #expect(ChangeRules.validate(Self.note()).isEmpty)
    }

    @Test("approval moves proposed baselines, keeps the old dates and bumps changed milestones")
    func rebaseline() throws {
        let baselines: [MilestoneKind: Day] = Dictionary(uniqueKeysWithValues: MilestoneKind.allCases.map { ($0, Self.day.adding(days: 40 * $0.index)) })
        let project = ImplementationProject.new(id: 99, organisation: Fixture.site, productCode: "CRS", type: .lsp, supplierID: 3,
                                                baselines: baselines)
        var note = Self.note(.approved)
        let newGoLive = Self.day.adding(days: 200)
        note.milestones = [
            AffectedMilestone(projectID: 99, projectCode: project.code, kind: .goLiveCompleted, proposedBaseline: newGoLive),
            AffectedMilestone(projectID: 99, projectCode: project.code, kind: .initiationCommenced, proposedBaseline: Self.day),
            AffectedMilestone(projectID: 5, projectCode: "OTHER", kind: .goLiveCompleted, proposedBaseline: newGoLive),
        ]
        let (updated, changes) = try #require(ChangeRules.rebaseline(project, by: note, on: Self.day))
        #expect(changes == [BaselineChange(projectID: 99, kind: .goLiveCompleted, from: baselines[.goLiveCompleted], to: newGoLive,
                                           ccnID: 7, ccnReference: "CCN-CNE-0007", changedOn: Self.day)],
                "an unchanged baseline and another project's milestone are left alone")
        #expect(updated.milestone(.goLiveCompleted)?.baseline == newGoLive)
        #expect(updated.milestone(.goLiveCompleted)?.version == 2)
        #expect(updated.milestone(.initiationCommenced)?.version == 1)
        note.milestones = []
        #expect(ChangeRules.rebaseline(project, by: note, on: Self.day) == nil)
    }
}
