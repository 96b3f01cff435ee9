import Testing
@testable import WaymarkCore

/// The pure people rules (issue 15): the registration order, identity documents, smartcards,
/// lead-time percentiles, patient-data refusal, proficiency, a person's status and the forecast.
@Suite("People rules")
struct PeopleRulesTests {
    let today = Day(year: 2026, month: 6, day: 1)!

    @Test("steps go in order: each needs the one before, and none repeats")
    func order() {
        var r = Registration(staffID: 1, raOrganisationID: 1, appliedOn: today, appliedBy: "a")
        #expect(RegistrationRules.orderRefusal(r, to: .identityChecked) == nil)
        #expect(RegistrationRules.orderRefusal(r, to: .cardIssued)?.contains("needs 'Profile approved by sponsor' first") == true)
        r.status = .approved
        #expect(RegistrationRules.orderRefusal(r, to: .cardIssued) == nil)
        #expect(RegistrationRules.orderRefusal(r, to: .identityChecked)?.contains("already") == true)
    }

    @Test("identity: three different documents, one with a photograph; a UUID is 12 digits")
    func identityAndCards() {
        #expect(RegistrationRules.identityRefusal([.passport, .utilityBill, .payslip]) == nil)
        #expect(RegistrationRules.identityRefusal([.utilityBill, .payslip, .bankStatement])?.contains("photograph") == true)
        #expect(RegistrationRules.identityRefusal([.passport, .utilityBill]) != nil)
        #expect(RegistrationRules.identityRefusal([.passport, .passport, .payslip]) != nil)
        #expect(RegistrationRules.uuid("1234 5678 9012") == "123456789012")
        #expect(RegistrationRules.uuid("12345678901") == nil && RegistrationRules.uuid("1234567890123") == nil && RegistrationRules.uuid("12345678901a") == nil)
        let card = Smartcard(uuid: "123456789012", staffID: 1, registrationID: 1, issuedOn: today)
        #expect(RegistrationRules.apply(.suspend, to: card) == .success(.suspended))
        #expect((try? RegistrationRules.apply(.reinstate, to: card).get()) == nil, "an active card cannot be reinstated")
        var lost = card
        lost.status = .lost
        #expect(RegistrationRules.apply(.cancel, to: lost) == .success(.cancelled))
        #expect(RegistrationRules.renewRefusal(lost) == nil)
        lost.status = .cancelled
        #expect(RegistrationRules.renewRefusal(lost) != nil)
    }

    @Test("lead times: the median and 90th percentile by nearest rank")
    func leadTimes() {
        let stats = RegistrationRules.leadTimes([(days: 10, count: 5), (days: 20, count: 4), (days: 90, count: 1)])
        #expect(stats?.median == 10 && stats?.p90 == 20 && stats?.count == 10)
        #expect(RegistrationRules.leadTimes([(days: 5, count: 9), (days: 60, count: 2)])?.p90 == 60)
        #expect(RegistrationRules.leadTimes([]) == nil)
    }

    @Test("a column of NHS Numbers is patient data whatever its header; staff numbers are not")
    func patientData() {
        #expect(PatientDataGuard.patientColumn(header: ["NHS_No", "name"], rows: [["", "A"]]) == "NHS_No")
        #expect(PatientDataGuard.patientColumn(header: ["ref", "name"], rows: [["943 476 5919", "A"], ["4010232137", "B"]]) == "ref")
        #expect(PatientDataGuard.patientColumn(header: ["staff number", "name"], rows: [["E1001", "A"], ["E1002", "B"]]) == nil)
        #expect(StaffRules.staffNumber("9434765919") == nil, "a valid NHS Number is refused as a staff number")
        #expect(StaffRules.staffNumber("  ") == .some(nil), "a blank number is none")
        #expect(StaffRules.staffNumber(" e12-3 ") == .some("E12-3"))
    }

    @Test("proficiency needs a current pass in every required course; a lapsed pass of someone granted sets refresher due")
    func proficiencyAndStatus() {
        let courses = Dictionary(uniqueKeysWithValues: Course.standard.map { ($0.code, $0) })
        let old = TrainingResult(staffID: 1, courseCode: "IG-FRONTLINE", passed: true, on: today.adding(days: -400), source: .lms)
        let search = TrainingResult(staffID: 1, courseCode: "PATIENT-SEARCH", passed: true, on: today.adding(days: -400), source: .lms)
        let required: Set = ["IG-FRONTLINE", "PATIENT-SEARCH"]
        #expect(Proficiency.missing(required, results: [old, search], courses: courses, today: today) == ["IG-FRONTLINE"], "IG lapses after 365 days")
        var granted = Registration(staffID: 1, raOrganisationID: 1, appliedOn: today.adding(days: -500), appliedBy: "a")
        granted.status = .granted
        granted.approvedOn = today.adding(days: -450)
        let status = PeopleStatus.of(registration: granted, activeCard: true, required: required, results: [old, search], attended: [], courses: courses, today: today)
        #expect(status.granted && status.trained && !status.proficient && status.refresherDue && status.readyOn == nil)
        let fresh = TrainingResult(staffID: 1, courseCode: "IG-FRONTLINE", passed: true, on: today.adding(days: -3), source: .lms)
        let renewed = PeopleStatus.of(registration: granted, activeCard: true, required: required, results: [old, search, fresh], attended: [], courses: courses, today: today)
        #expect(renewed.proficient && !renewed.refresherDue && renewed.readyOn == today.adding(days: -400), "ready from the first pass in each course")
        let positions = [AccessPosition(jobRole: "R8001", organisationID: 7, workgroup: "ward-nursing")]
        let needs: [(organisationID: Int64, productCode: String, jobRole: String, courseCode: String)] = [
            (7, "CRS", "R8001", "IG-FRONTLINE"), (7, "PACS", "R8001", "PATIENT-SEARCH"), (8, "CRS", "R8001", "ECDL"), (7, "CRS", "R8010", "ECDL"),
        ]
        #expect(Proficiency.required(positions: positions, products: ["CRS"], needs: needs) == ["IG-FRONTLINE"])
        #expect(Proficiency.required(positions: positions, products: [], needs: needs) == ["IG-FRONTLINE", "PATIENT-SEARCH"])
    }

    @Test("the forecast: ready now plus the last four weeks' pace to the baseline, against 90% of those needing access")
    func forecast() {
        let site = PeopleForecast.Site(organisationID: 1, siteName: "A", projectCodes: ["A-CRS"], goLiveBaseline: today.adding(days: 56),
                                       needing: 100, ready: 40, recent: 14)
        let outcome = PeopleForecast.outcome(site, today: today)
        #expect(outcome.forecast == 68 && site.target == 90 && outcome.shortfall == 22 && !outcome.willBeReady)
        var quick = site
        quick.recent = 30
        #expect(PeopleForecast.outcome(quick, today: today).willBeReady, "40 + 30 × 2 reaches 90")
    }

    @Test("bookings fill to capacity, then go on the waiting list only when asked")
    func booking() {
        #expect(TrainingRules.booking(booked: 11, capacity: 12, waitingListWanted: false) == .success(.booked))
        #expect((try? TrainingRules.booking(booked: 12, capacity: 12, waitingListWanted: false).get()) == nil)
        #expect(TrainingRules.booking(booked: 12, capacity: 12, waitingListWanted: true) == .success(.waiting))
    }
}
