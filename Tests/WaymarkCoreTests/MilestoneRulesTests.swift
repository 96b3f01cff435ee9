import Testing
import WaymarkCore

@Suite("Milestones and MilestoneRules")
struct MilestoneRulesTests {
    typealias Changes = [MilestoneKind: MilestoneDates]

    // MARK: Milestone kinds and project types (DOMAIN.md §5)

    @Test func milestoneKindsAreTheSixNSIMilestonesInOrder() {
        #expect(MilestoneKind.allCases.map(\.rawValue) == [
            "initiation-commenced", "initiation-completed", "local-design-completed",
            "preparation-for-go-live-completed", "go-live-completed", "implementation-completed",
        ])
        #expect(MilestoneKind.allCases.map(\.index) == Array(0..<6))
        #expect(MilestoneKind.allCases.map(\.stageExited) == Array(0..<6))
        #expect(MilestoneKind.allCases == MilestoneKind.allCases.sorted())
        #expect(MilestoneKind.initiationCommenced < .implementationCompleted)
        #expect(MilestoneKind.goLiveCompleted.title == "Go-Live Completed")
    }

    @Test func espCarriesTwoMilestonesAndLSPAllSix() {
        #expect(ProjectType.esp.mandatoryMilestones == [.initiationCompleted, .goLiveCompleted])
        #expect(ProjectType.lsp.mandatoryMilestones == [
            .initiationCommenced, .initiationCompleted, .localDesignCompleted,
            .preparationForGoLiveCompleted, .goLiveCompleted, .implementationCompleted,
        ])
    }

    @Test(arguments: ProjectType.allCases)
    func newProjectCarriesExactlyItsTypesMilestones(type: ProjectType) {
        let baselines = Dictionary(uniqueKeysWithValues: MilestoneKind.allCases.map { ($0, today.adding(days: 10 * $0.index)) })
        let project = ImplementationProject.new(id: 9, organisation: Fixture.site, productCode: "PACS", type: type,
                                                supplierID: 3, baselines: baselines)
        #expect(project.milestones.map(\.kind) == type.mandatoryMilestones)
        #expect(project.code == "RXY01-PACS")
        #expect(project.organisationID == Fixture.site.id)
        #expect(project.ancestry == Fixture.site.ancestry)
        #expect(project.version == 1)
        for milestone in project.milestones {
            #expect(milestone.baseline == baselines[milestone.kind])
            #expect(milestone.forecast == milestone.baseline)
            #expect(milestone.actual == nil)
            #expect(milestone.version == 1)
        }
    }

    // MARK: Valid updates

    @Test func validUpdateBumpsOnlyTheChangedMilestonesVersion() throws {
        let project = Fixture.project(.lsp)
        let actual = day("2026-01-06")
        let updated = try MilestoneRules.apply(
            [.initiationCommenced: MilestoneDates(forecast: day("2026-01-05"), actual: actual)], to: project, today: today)
        #expect(updated.milestones[0].actual == actual)
        #expect(updated.milestones[0].forecast == day("2026-01-05"))
        #expect(updated.milestones[0].baseline == project.milestones[0].baseline, "baselines are not changed")
        #expect(updated.milestones[0].version == 2)
        #expect(Array(updated.milestones.dropFirst()) == Array(project.milestones.dropFirst()))
        #expect(updated.version == project.version, "the project's version is the store's business")
        #expect(updated.achievedCount == 1)
    }

    @Test func forecastOnlyChangeBumpsVersion() throws {
        let project = Fixture.project(.esp)
        let updated = try MilestoneRules.apply(
            [.goLiveCompleted: MilestoneDates(forecast: day("2027-06-01"), actual: nil)], to: project, today: today)
        #expect(updated.milestone(.goLiveCompleted)?.forecast == day("2027-06-01"))
        #expect(updated.milestone(.goLiveCompleted)?.version == 2)
        #expect(updated.milestone(.initiationCompleted) == project.milestone(.initiationCompleted))
    }

    @Test func unchangedDatesLeaveTheProjectEqual() throws {
        let project = Fixture.project(.lsp, achieved: 2)
        var changes: Changes = [:]
        for milestone in project.milestones {
            changes[milestone.kind] = MilestoneDates(forecast: milestone.forecast, actual: milestone.actual)
        }
        #expect(try MilestoneRules.apply(changes, to: project, today: today) == project)
        #expect(try MilestoneRules.apply([:], to: project, today: today) == project)
    }

    @Test func repeatedChangesKeepBumping() throws {
        var project = Fixture.project(.lsp)
        for (step, offset) in [1, 2, 3].enumerated() {
            project = try MilestoneRules.apply(
                [.initiationCommenced: MilestoneDates(forecast: day("2026-01-05").adding(days: offset), actual: nil)],
                to: project, today: today)
            #expect(project.milestones[0].version == step + 2)
        }
    }

    @Test func completingAllMilestonesInOrderIsAccepted() throws {
        let project = Fixture.project(.lsp)
        var changes: Changes = [:]
        for (position, kind) in ProjectType.lsp.mandatoryMilestones.enumerated() {
            let date = day("2026-02-02").adding(days: 7 * position)
            changes[kind] = MilestoneDates(forecast: date, actual: date)
        }
        let updated = try MilestoneRules.apply(changes, to: project, today: today)
        #expect(updated.isComplete)
        #expect(updated.achievedCount == 6)
        #expect(updated.milestones.allSatisfy { $0.version == 2 })
    }

    @Test func equalActualsOnConsecutiveMilestonesAreAllowed() throws {
        let project = Fixture.project(.lsp)
        let date = day("2026-03-02")
        let updated = try MilestoneRules.apply([
            .initiationCommenced: MilestoneDates(forecast: date, actual: date),
            .initiationCompleted: MilestoneDates(forecast: date, actual: date),
        ], to: project, today: today)
        #expect(updated.achievedCount == 2)
    }

    @Test func actualOnTodayIsAllowed() throws {
        let updated = try MilestoneRules.apply(
            [.initiationCompleted: MilestoneDates(forecast: today, actual: today)], to: Fixture.project(.esp), today: today)
        #expect(updated.milestone(.initiationCompleted)?.actual == today)
    }

    // MARK: Order

    @Test(arguments: Array(ProjectType.lsp.mandatoryMilestones.dropFirst()))
    func actualWithoutEarlierMilestoneIsRejected(kind: MilestoneKind) {
        let project = Fixture.project(.lsp)
        let failure = validationFailure([kind: MilestoneDates(forecast: nil, actual: day("2026-06-01"))], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.\(kind.rawValue)"])
        #expect(failure?.message(for: "actual.\(kind.rawValue)")?.contains("Initiation Commenced") == true)
        #expect(failure?.message(for: "actual.\(kind.rawValue)")?.contains("in order") == true)
    }

    @Test func firstMilestoneNeedsNoPredecessor() throws {
        let updated = try MilestoneRules.apply(
            [.initiationCommenced: MilestoneDates(forecast: nil, actual: day("2026-06-01"))],
            to: Fixture.project(.lsp), today: today)
        #expect(updated.milestones[0].actual == day("2026-06-01"))
        #expect(updated.milestones[0].forecast == nil)
    }

    @Test func gapInTheMiddleIsRejectedOnTheLaterMilestone() {
        let project = Fixture.project(.lsp, achieved: 2)
        let failure = validationFailure([.preparationForGoLiveCompleted: MilestoneDates(forecast: nil, actual: day("2026-06-01"))], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.preparation-for-go-live-completed"])
        #expect(failure?.errors.first?.message.contains("Local Design Completed") == true)
    }

    @Test func clearingAnEarlierActualWhileALaterOneStandsIsRejected() {
        let project = Fixture.project(.lsp, achieved: 3)
        let failure = validationFailure([.initiationCompleted: MilestoneDates(forecast: day("2026-02-04"), actual: nil)], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.local-design-completed"])
    }

    @Test func clearingTheLastActualIsAllowed() throws {
        let project = Fixture.project(.lsp, achieved: 3)
        let updated = try MilestoneRules.apply(
            [.localDesignCompleted: MilestoneDates(forecast: day("2026-03-06"), actual: nil)], to: project, today: today)
        #expect(updated.achievedCount == 2)
        #expect(updated.milestones[2].version == 2)
    }

    @Test func actualBeforeThePreviousMilestonesActualIsRejected() {
        let project = Fixture.project(.lsp, achieved: 2)   // actuals 2026-01-05 and 2026-02-04
        let failure = validationFailure([.localDesignCompleted: MilestoneDates(forecast: nil, actual: day("2026-02-03"))], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.local-design-completed"])
        let message = failure?.message(for: "actual.local-design-completed") ?? ""
        #expect(message.contains("2026-02-03") && message.contains("2026-02-04"))
    }

    @Test func espActualsMustAlsoBeInOrder() {
        let project = Fixture.project(.esp)
        let outOfOrder = validationFailure([.goLiveCompleted: MilestoneDates(forecast: nil, actual: day("2026-05-01"))], to: project)
        #expect(outOfOrder?.errors.map(\.field) == ["actual.go-live-completed"])
        let backwards = validationFailure([
            .initiationCompleted: MilestoneDates(forecast: nil, actual: day("2026-05-01")),
            .goLiveCompleted: MilestoneDates(forecast: nil, actual: day("2026-04-30")),
        ], to: project)
        #expect(backwards?.errors.map(\.field) == ["actual.go-live-completed"])
    }

    // MARK: Future actuals and milestones not carried

    @Test func actualInTheFutureIsRejected() {
        let project = Fixture.project(.lsp)
        let failure = validationFailure([.initiationCommenced: MilestoneDates(forecast: nil, actual: today.adding(days: 1))], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.initiation-commenced"])
        #expect(failure?.errors.first?.message.contains("future") == true)
        #expect(failure?.errors.first?.message.contains(today.iso) == true)
    }

    @Test func futureForecastIsFine() throws {
        let updated = try MilestoneRules.apply(
            [.initiationCommenced: MilestoneDates(forecast: day("2030-01-01"), actual: nil)],
            to: Fixture.project(.lsp), today: today)
        #expect(updated.milestones[0].forecast == day("2030-01-01"))
    }

    @Test(arguments: [MilestoneKind.initiationCommenced, .localDesignCompleted, .preparationForGoLiveCompleted, .implementationCompleted])
    func espProjectRejectsLSPOnlyMilestones(kind: MilestoneKind) {
        let project = Fixture.project(.esp)
        let failure = validationFailure([kind: MilestoneDates(forecast: day("2027-01-04"), actual: nil)], to: project)
        #expect(failure?.errors.map(\.field) == ["milestone.\(kind.rawValue)"])
        #expect(failure?.errors.first?.message.contains("ESP-based") == true)
        #expect(failure?.errors.first?.message.contains(kind.title) == true)
    }

    @Test func multipleErrorsAreReportedTogether() {
        let project = Fixture.project(.esp)
        let failure = validationFailure([
            .localDesignCompleted: MilestoneDates(forecast: day("2027-01-04"), actual: nil),
            .implementationCompleted: MilestoneDates(forecast: day("2027-01-04"), actual: nil),
            .goLiveCompleted: MilestoneDates(forecast: nil, actual: today.adding(days: 3)),
        ], to: project)
        let fields = failure?.errors.map(\.field) ?? []
        #expect(fields.count == 4)
        #expect(Set(fields) == ["milestone.local-design-completed", "milestone.implementation-completed", "actual.go-live-completed"])
        #expect(fields.filter { $0 == "actual.go-live-completed" }.count == 2, "in the future, and before Initiation Completed")
        #expect(failure?.summary.contains("future") == true)
        #expect(failure?.summary.contains("in order") == true)
    }

    @Test func errorsOnSeveralMilestonesOfAnLSPProject() {
        let project = Fixture.project(.lsp)
        let failure = validationFailure([
            .initiationCommenced: MilestoneDates(forecast: nil, actual: today.adding(days: 1)),
            .goLiveCompleted: MilestoneDates(forecast: nil, actual: day("2026-05-01")),
        ], to: project)
        #expect(failure?.errors.map(\.field) == ["actual.initiation-commenced", "actual.go-live-completed"])
    }

    @Test func fieldNamesAndFailureHelpers() {
        #expect(MilestoneRules.field("actual", .goLiveCompleted) == "actual.go-live-completed")
        let failure = ValidationFailure([FieldError(field: "a", message: "First."), FieldError(field: "b", message: "Second.")])
        #expect(failure.message(for: "b") == "Second.")
        #expect(failure.message(for: "c") == nil)
        #expect(failure.summary == "First. Second.")
    }

    // MARK: Slippage

    @Test(arguments: [
        ("2026-12-24", "2026-12-29", 1),     // over Christmas and the Boxing Day substitute
        ("2027-03-25", "2027-03-30", 1),     // over Easter 2027
        ("2026-12-18", "2027-01-04", 8),
        ("2026-11-24", "2026-11-24", 0),
        ("2026-11-27", "2026-11-28", 0),     // Friday to Saturday
        ("2026-12-29", "2026-12-24", -1),    // forecast early
        ("2027-03-19", "2027-04-21", 21),
    ])
    func slippageCountsWorkingDays(baseline: String, forecast: String, expected: Int) {
        let open = Fixture.milestone(baseline: baseline, forecast: forecast)
        #expect(open.slippage(in: .england) == expected)
        let achieved = Fixture.milestone(baseline: baseline, forecast: "2020-01-01", actual: forecast)
        #expect(achieved.slippage(in: .england) == expected, "the actual date wins once achieved")
    }

    @Test func slippageNeedsABaselineAndADate() {
        #expect(Fixture.milestone(baseline: nil, forecast: "2026-12-29").slippage(in: .england) == nil)
        #expect(Fixture.milestone(baseline: "2026-12-24", forecast: nil).slippage(in: .england) == nil)
        #expect(Fixture.milestone(baseline: "2026-12-24", forecast: nil, actual: "2026-12-29").slippage(in: .england) == 1)
        #expect(Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-29").slippage(in: WorkingCalendar(holidays: [])) == 3)
    }

    @Test func forecastLateAndAchieved() {
        #expect(Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-29").isForecastLate)
        #expect(!Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-24").isForecastLate)
        #expect(!Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-23").isForecastLate)
        #expect(!Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-29", actual: "2026-12-29").isForecastLate,
                "achieved milestones are not forecast late")
        #expect(!Fixture.milestone(baseline: nil, forecast: "2026-12-29").isForecastLate)
        #expect(!Fixture.milestone(baseline: "2026-12-24", forecast: nil).isForecastLate)
        #expect(Fixture.milestone(baseline: "2026-12-24", forecast: nil, actual: "2026-12-24").isAchieved)
        #expect(!Fixture.milestone(baseline: "2026-12-24", forecast: "2026-12-24").isAchieved)
    }
}
