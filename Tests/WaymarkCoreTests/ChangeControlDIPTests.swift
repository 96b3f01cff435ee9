import Testing
import WaymarkCore

@Suite("Change control: DIPs, financial years and DIP performance")
struct ChangeControlDIPTests {
    @Test func financialYearsRunAprilToMarch() throws {
        let year = FinancialYear(startYear: 2026)
        #expect(year.label == "2026/27")
        #expect(FinancialYear(startYear: 2009).label == "2009/10")
        #expect(FinancialYear(startYear: 2099).label == "2099/00")
        #expect(year.start == day("2026-04-01") && year.end == day("2027-03-31"))
        #expect(FinancialYear(containing: day("2027-03-31")) == year)
        #expect(FinancialYear(containing: day("2026-03-31")) == FinancialYear(startYear: 2025))
        #expect(FinancialYear(label: "2026/27") == year)
        for bad in ["2026/28", "2026-27", "26/27", "2026/2027", ""] { #expect(FinancialYear(label: bad) == nil, "\(bad)") }
        #expect(year.months.map(\.iso) == ["2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01",
                                           "2026-10-01", "2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01"])
        #expect(year.monthIndex(of: day("2026-04-30")) == 0)
        #expect(year.monthIndex(of: day("2027-01-15")) == 9)
        #expect(year.monthIndex(of: day("2027-04-01")) == nil)
    }

    static func dip(_ state: DIPState) -> DetailedImplementationPlan {
        DetailedImplementationPlan(id: 3, supplierID: 2, clusterID: 10, year: FinancialYear(startYear: 2026), state: state)
    }

    static func ccn(_ state: ChangeState, lines: [Int?], cluster: Int64 = 10) -> ChangeControlNote {
        ChangeControlNote(id: 1, clusterID: cluster, clusterCode: "CNE", number: 1, type: .contractual, title: "Re-phase", description: "d",
                          reason: "r", dipLines: lines.map { AffectedDIPLine(dipID: 3, lineNumber: $0, anchor: ChangeAnchor(ancestry: Ancestry())) },
                          state: state, raisedBy: "PMO", raisedOn: today, raisedAt: 10, raisedAtAnchor: ChangeAnchor(ancestry: Ancestry()))
    }

    @Test("a draft DIP changes freely; an agreed one only through an approved CCN that names the line")
    func dipChangesNeedAnApprovedCCN() {
        #expect(DIPRules.changeRefusal(dip: Self.dip(.draft), lineNumber: 4, ccn: nil) == nil)
        let agreed = Self.dip(.agreed)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: nil)?.contains("only through an approved Change Control Note") == true)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: Self.ccn(.atBoard, lines: [4]))?.contains("not approved") == true)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: Self.ccn(.approved, lines: [5]))?
            .contains("does not list line 4") == true)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: Self.ccn(.approved, lines: [4], cluster: 11))?
            .contains("another cluster") == true)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: Self.ccn(.approved, lines: [4])) == nil)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: 4, ccn: Self.ccn(.implemented, lines: [4])) == nil)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: nil, ccn: Self.ccn(.approved, lines: [4]))?
            .contains("does not list a new line") == true)
        #expect(DIPRules.changeRefusal(dip: agreed, lineNumber: nil, ccn: Self.ccn(.approved, lines: [nil])) == nil)
    }

    @Test func linesAreValidatedAgainstTheYear() {
        let year = FinancialYear(startYear: 2026)
        let line = DIPLine(dipID: 3, number: 1, productCode: "CRS", organisationID: 42, ancestry: Ancestry(), implementation: .replacement,
                           dueDate: day("2026-06-30"))
        #expect(DIPRules.validate(line, in: year).isEmpty)
        var bad = line
        bad.productCode = "NOPE"
        bad.dueDate = day("2027-04-01")
        #expect(Set(DIPRules.validate(bad, in: year).map(\.field)) == ["product", "due"])
    }

    @Test("linked projects combine: delivered when all have achieved, forecast on the latest, none without a forecast")
    func obligationsCombineLinkedProjects() {
        let due = day("2026-09-30")
        let rows = [
            DIPLineProgress(lineID: 1, due: due, projectID: 10, actual: day("2026-09-01"), forecast: nil),
            DIPLineProgress(lineID: 1, due: due, projectID: 11, actual: day("2026-10-02"), forecast: nil),
            DIPLineProgress(lineID: 2, due: due, projectID: 12, actual: nil, forecast: day("2026-12-01")),
            DIPLineProgress(lineID: 2, due: due, projectID: 13, actual: day("2026-08-01"), forecast: nil),
            DIPLineProgress(lineID: 3, due: due, projectID: nil, actual: nil, forecast: nil),
            DIPLineProgress(lineID: 4, due: due, projectID: 14, actual: nil, forecast: day("2026-09-01")),
            DIPLineProgress(lineID: 4, due: due, projectID: 15, actual: nil, forecast: nil),
        ]
        let obligations = DIPObligation.combine(rows)
        #expect(obligations.map(\.lineID) == [1, 2, 3, 4])
        #expect(obligations[0].delivered == day("2026-10-02"))
        #expect(obligations[1].delivered == nil && obligations[1].forecast == day("2026-12-01"))
        #expect(!obligations[2].hasProject)
        #expect(obligations[3].forecast == nil, "one open project without a forecast leaves the line without one")
    }

    @Test("each obligation's status: delivered, delivered late, late, at risk or on track")
    func statuses() {
        let due = day("2026-12-31")
        func status(_ delivered: String?, _ forecast: String?, project: Bool = true) -> ObligationStatus {
            DIPObligation(lineID: 1, due: due, delivered: delivered.map(day), forecast: forecast.map(day), hasProject: project)
                .status(today: today)
        }
        #expect(status("2026-11-01", nil) == .delivered)
        #expect(status("2027-01-05", nil) == .deliveredLate)
        #expect(status(nil, "2026-12-01") == .onTrack)
        #expect(status(nil, "2027-01-15") == .atRisk)
        #expect(status(nil, nil) == .atRisk)
        #expect(status(nil, "2026-12-01", project: false) == .atRisk)
        let pastDue = DIPObligation(lineID: 1, due: day("2026-10-31"), delivered: nil, forecast: day("2026-10-01"), hasProject: true)
        #expect(pastDue.status(today: today) == .late)
    }

    @Test("performance per month: due, delivered, late and at risk, with cumulative planned and actual to today")
    func performance() throws {
        let year = FinancialYear(startYear: 2026)
        let obligations = [
            // Due April, delivered in March the year before: counted delivered in April.
            DIPObligation(lineID: 1, due: day("2026-04-20"), delivered: day("2026-03-10"), forecast: nil, hasProject: true),
            // Due June, delivered late in August.
            DIPObligation(lineID: 2, due: day("2026-06-15"), delivered: day("2026-08-03"), forecast: nil, hasProject: true),
            // Due October, not delivered: late.
            DIPObligation(lineID: 3, due: day("2026-10-01"), delivered: nil, forecast: day("2026-12-01"), hasProject: true),
            // Due January, forecast February: at risk.
            DIPObligation(lineID: 4, due: day("2027-01-10"), delivered: nil, forecast: day("2027-02-01"), hasProject: true),
            // Due January, forecast on time: on track.
            DIPObligation(lineID: 5, due: day("2027-01-20"), delivered: nil, forecast: day("2027-01-05"), hasProject: true),
            // Due next year: not in this year's view.
            DIPObligation(lineID: 6, due: day("2027-05-01"), delivered: nil, forecast: nil, hasProject: false),
        ]
        let performance = DIPPerformance.compute(obligations, year: year, today: today)
        let months = performance.months
        #expect(months.count == 12)
        #expect(months.map(\.due) == [1, 0, 1, 0, 0, 0, 1, 0, 0, 2, 0, 0])
        #expect(months.map(\.delivered) == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(months.map(\.late) == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0])
        #expect(months.map(\.atRisk) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(months.map(\.cumulativeDue) == [1, 1, 2, 2, 2, 2, 3, 3, 3, 5, 5, 5])
        #expect(months.map(\.cumulativeDelivered) == [1, 1, 1, 1, 2, 2, 2, 2, nil, nil, nil, nil], "actuals stop at today (24 November)")
        #expect((performance.totalDue, performance.totalDelivered, performance.totalLate, performance.totalAtRisk) == (5, 2, 2, 1))
    }
}
