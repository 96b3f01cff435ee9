import Testing
@testable import WaymarkCore

/// The Operational Readiness Report's rules: its concerns, what changed between two readings,
/// and the signed report (and signed checklists) standing for their products at the Go Live gate.
@Suite struct ReadinessReportRulesTests {
    static func inputs(hardware: ReadinessRating? = .ready, signed: Bool = true, showstoppers: Int = 0, validPerMille: Int = 995,
                       blocking: [String] = [], safetySigned: Bool = false) -> ReadinessInputs {
        ReadinessInputs(
            projectCode: "RX1-CRS", productCode: "CRS", siteName: "Leeds", goLiveForecast: Day(iso: "2027-03-01"),
            surveys: [.init(kind: .hardware, overall: hardware, version: hardware == nil ? 0 : 2, signedOff: signed,
                            openFindings: hardware == .notReady ? ["Do existing devices meet the supplier's specification?"] : [])],
            register: showstoppers > 0 ? [.init(kind: .risk, priority: .showstopper, open: showstoppers)] : [],
            serious: (0..<showstoppers).map { .init(reference: "R\($0 + 1)", title: "Risk \($0 + 1)", priority: .showstopper) },
            safety: .init(openHazards: blocking.count, blocking: blocking, signedBy: safetySigned ? "cso" : nil, signedAt: nil, signOffCurrent: safetySigned),
            dataQuality: [.init(checkedOn: Day(iso: "2026-12-01")!, records: 1000, validPerMille: validPerMille, duplicates: 0)],
            migration: nil, criticalPath: .init(problem: nil, goLive: Day(iso: "2027-03-01"), tasks: [], more: 0), training: nil)
    }

    @Test func aReadySiteRaisesNoConcerns() {
        #expect(ReadinessReportRules.concerns(Self.inputs()) == [])
    }

    @Test func eachGapIsAConcernInWords() {
        let concerns = ReadinessReportRules.concerns(Self.inputs(hardware: .notReady, signed: false, showstoppers: 2, validPerMille: 950,
                                                                 blocking: ["HAZ-0001"]))
        #expect(concerns == [
            "The Hardware survey is rated not ready.",
            "The Hardware survey has 1 open finding with no action, risk or issue.",
            "The Hardware survey is not signed off at its current version.",
            "2 showstopper risks open.",
            "1 hazard above an acceptable residual rating and no safety case sign-off.",
            "The latest data-quality check (2026-12-01) found 95.0% valid NHS Numbers; 99.0% are wanted.",
        ])
        #expect(ReadinessReportRules.concerns(Self.inputs(hardware: nil)) == ["1 survey not answered: Hardware survey."])
        #expect(ReadinessReportRules.concerns(Self.inputs(blocking: ["HAZ-0001"], safetySigned: true)) == [], "a current sign-off covers the hazard")
    }

    @Test func changesNameEachDifference() {
        let old = Self.inputs()
        #expect(ReadinessReportRules.changes(from: old, to: old) == [])
        let new = Self.inputs(hardware: .partlyReady, showstoppers: 1, validPerMille: 980)
        #expect(ReadinessReportRules.changes(from: old, to: new) == [
            "Hardware survey: ready → partly ready",
            "Open showstopper risks: 0 → 1",
            "R1 Risk 1 is now open at showstopper",
            "Data-quality check results changed",
        ])
    }

    @Test func aSignedReportAndSignedChecklistsStandForTheirProducts() throws {
        let project = Fixture.project(.lsp, achieved: 4)
        let catalogue = StageGateTests.catalogue
        var documents = StageGateTests.documents(for: .prepareForGoLive)
        documents["ORR"] = nil
        documents["GO-LIVE-CHECKLIST"] = nil
        let report = ReadinessReport(id: 7, projectID: 1, number: 3, inputs: Self.inputs(), generatedBy: "pm", generatedAt: "t",
                                     hash: String(repeating: "a", count: 64), signedBy: "board", signedAt: "t")
        func check(_ readiness: ReadinessEvidence) -> GateCheck {
            GateRules.check(stage: .prepareForGoLive, project: project, catalogue: catalogue, documents: documents,
                            decided: StageGateTests.decisions(through: .prepareForGoLive), hazards: [], signOff: nil,
                            currentLogHash: "", readiness: readiness)
        }
        func requirement(_ code: String, _ c: GateCheck) throws -> GateRequirement {
            try #require(c.requirements.first { if case .document(let p, _) = $0.kind { p.code == code } else { false } })
        }
        let without = check(ReadinessEvidence())
        #expect(try !requirement("ORR", without).met && !requirement("GO-LIVE-CHECKLIST", without).met)
        let partly = check(ReadinessEvidence(signedReport: report, checklists: (total: 3, signedOff: 2, hash: "h")))
        #expect(try requirement("ORR", partly).evidence == GateEvidence(productCode: "ORR", documentID: 7, versionNumber: 3,
                                                                        contentHash: report.hash, source: .readinessReport))
        #expect(try requirement("GO-LIVE-CHECKLIST", partly).detail.hasPrefix("2 of 3 Go Live Checklists"))
        let all = check(ReadinessEvidence(signedReport: report, checklists: (total: 3, signedOff: 3, hash: "h")))
        #expect(all.passes, "\(all.missing.map(\.detail))")
        #expect(try requirement("GO-LIVE-CHECKLIST", all).evidence?.reference == "3 Go Live Checklists")
    }
}

/// The readiness score on the going-live page: 100 less each gap, with the gap in words.
@Suite struct ReadinessScoringTests {
    @Test func everythingInPlaceScoresFull() {
        var f = ReadinessFacts()
        f.surveysAnswered = 12
        f.signedReport = true
        f.checklists = 6
        f.checklistsSignedOff = 6
        f.validPerMille = 995
        #expect(ReadinessScoring.score(f) == ReadinessScore(value: 100, reasons: []))
    }

    @Test func eachGapCostsItsPointsAndTheScoreStopsAtZero() {
        var f = ReadinessFacts()
        f.surveysAnswered = 5
        f.surveysNotReady = 4
        f.showstoppers = 1
        f.blockingHazards = 2
        f.checklists = 2
        f.checklistsSignedOff = 1
        f.validPerMille = 900
        let score = ReadinessScoring.score(f)
        #expect(score.value == 0 && score.band == .notReady)
        #expect(score.reasons == ["No Operational Readiness Report signed off", "1 of 2 Go Live Checklists signed off", "1 showstopper risk or issue open",
                                  "2 hazards above acceptable without the CSO's sign-off", "4 surveys rated not ready", "Valid NHS Numbers 90.0% (99.0% wanted)"])
        f.safetySigned = true
        f.showstoppers = 0
        f.surveysNotReady = 0
        f.validPerMille = 999
        f.signedReport = true
        #expect(ReadinessScoring.score(f).value == 85 && ReadinessScoring.score(f).band == .ready)
    }
}
