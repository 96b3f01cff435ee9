import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Registration Authority and training (issue 15), on both backends: staff from an HR extract,
/// a registration's steps in order, proficiency gating access, sessions, and the funnel.
@Suite("People: staff, RA registration, training and proficiency")
struct PeopleTests {
    struct Place {
        var project: ImplementationProject
        var trust: Organisation
        /// Where the project is: the trust itself or one of its sites.
        var site: Organisation
    }

    static func place(_ app: TestApp) throws -> Place {
        let project = try DataQualityTests.project(app)
        let trust = try #require(app.dataset.organisations.first { $0.id == project.ancestry.trustID })
        let site = try #require(app.dataset.organisations.first { $0.id == project.organisationID })
        return Place(project: project, trust: trust, site: site)
    }

    static func rejected(_ body: () async throws -> Void) async -> ImportRejected? {
        do { try await body() } catch let rejected as ImportRejected { return rejected } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    static func count(_ app: TestApp, _ organisation: Organisation) async throws -> Int {
        try await app.store.staffMembers(StaffQuery(scope: .national, within: organisation, limit: 500)).items.count
    }

    @Test("an HR extract adds, then updates, staff; a missing column, a duplicate staff number, a bad row or an NHS Number column is refused by line and changes nothing",
          arguments: Backend.testable)
    func staffImport(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = StaffService(programme: app.service)
            let agent = try await SupplierContractTests.user(app, .raAgent)
            let p = try Self.place(app)
            let before = try await Self.count(app, p.trust)
            let header = "staff_number,name,organisation,job_role,site\n"
            let file = header + "A1001,Asha Patel,\(p.trust.code),R8001,\(p.site.code)\nA1002,Ben Ode,\(p.trust.code),R8010,\(p.site.code)\n"
            let outcome = try await service.importCSV(Data(file.utf8), as: agent)
            #expect(outcome.added == 2 && outcome.updated == 0)
            #expect(try await Self.count(app, p.trust) == before + 2)
            let again = try await service.importCSV(Data(file.replacingOccurrences(of: "Ben Ode", with: "Ben Odell").utf8), as: agent)
            #expect(again.added == 0 && again.updated == 2, "the same extract again updates")
            #expect(try await service.list(organisationCode: p.trust.code, text: "odell", jobRole: nil, after: nil, as: agent).1.items.map(\.name) == ["Ben Odell"])

            let noRole = await Self.rejected { _ = try await service.importCSV(Data("staff_number,name,organisation,site\nX1,Al,\(p.trust.code),\(p.site.code)\n".utf8), as: agent) }
            #expect(noRole?.problems.map(\.line) == [1] && noRole?.problems.first?.message.contains("'job role'") == true)
            let twice = await Self.rejected {
                _ = try await service.importCSV(Data((header + "B1,Cy,\(p.trust.code),R8001,\(p.site.code)\nB1,Di,\(p.trust.code),R8001,\(p.site.code)\n").utf8), as: agent)
            }
            #expect(twice?.problems.map(\.line) == [3] && twice?.problems.first?.message.contains("also appears on line 2") == true)
            let badRow = await Self.rejected {
                _ = try await service.importCSV(Data((header + "C1,Ed,\(p.trust.code),R8001,\(p.site.code)\nC2,Fi,\(p.trust.code),ASTRONAUT,\(p.site.code)\n").utf8), as: agent)
            }
            #expect(badRow?.problems.map(\.line) == [3])
            let patient = await Self.rejected {
                _ = try await service.importCSV(Data(("nhs_number," + header + "9434765919,D1,Gus,\(p.trust.code),R8001,\(p.site.code)\n").utf8), as: agent)
            }
            #expect(patient?.problems.first?.message.contains("patient data") == true)
            let disguised = await Self.rejected {
                _ = try await service.importCSV(Data(("ref," + header + "943 476 5919,D1,Gus,\(p.trust.code),R8001,\(p.site.code)\n").utf8), as: agent)
            }
            #expect(disguised?.problems.first?.message.contains("NHS Numbers") == true, "a column of valid NHS Numbers is refused whatever its name")
            #expect(try await Self.count(app, p.trust) == before + 2, "no refused file added anyone")

            let sponsor = try await SupplierContractTests.user(app, .raSponsor)
            let denied = await OrganisationServiceTests.serviceError { _ = try await service.importCSV(Data(file.utf8), as: sponsor) }
            #expect(denied?.kind == .forbidden)
        }
    }

    @Test("a registration goes application, identity check, sponsor approval, smartcard, access, in order; access waits for proficiency unless an RA manager overrides with a reason",
          arguments: Backend.testable)
    func registration(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let staff = StaffService(programme: app.service)
            let ra = RegistrationService(programme: app.service)
            let training = TrainingService(programme: app.service)
            let people = PeopleReadinessService(programme: app.service)
            let agent = try await SupplierContractTests.user(app, .raAgent)
            let sponsor = try await SupplierContractTests.user(app, .raSponsor)
            let manager = try await SupplierContractTests.user(app, .registrationAuthorityManager)
            let trainingManager = try await SupplierContractTests.user(app, .trainingManager)
            let p = try Self.place(app)
            func add(_ name: String, _ number: String, user: String? = nil) async throws -> StaffMember {
                try await staff.add(StaffChange(name: name, staffNumber: number, organisation: p.trust.code, jobRole: "R8001", site: p.site.code,
                                                waymarkUser: user), as: agent)
            }
            let npo = try await SupplierContractTests.user(app)
            let trustBefore = try await people.funnel(organisationCode: p.trust.code, as: manager).1
            let nationalBefore = try await people.overview(organisationCode: nil, as: npo)
            let nurse = try await add("Nia Jones", "N1")
            let own = try await add(sponsor.name, "N2", user: sponsor.name)
            _ = try await training.setTrainingNeeds(projectCode: p.project.code, [TrainingNeed(jobRole: "R8001", courseCode: "IG-FRONTLINE")], as: trainingManager)

            var r = try await ra.apply(staffID: nurse.id, as: agent)
            #expect(r.status == .applied && r.raOrganisationID == p.trust.id)
            let early = await OrganisationServiceTests.serviceError { _ = try await ra.issueCard(staffID: nurse.id, uuid: "123456789012", expectedVersion: 1, as: agent) }
            #expect(early?.kind == .refused && early?.message.contains("needs 'Profile approved by sponsor' first") == true)
            let notAgent = await OrganisationServiceTests.serviceError {
                _ = try await ra.checkIdentity(staffID: nurse.id, documents: ["passport", "utility-bill", "payslip"], expectedVersion: 1, as: sponsor)
            }
            #expect(notAgent?.kind == .forbidden)
            let thin = await OrganisationServiceTests.failure { _ = try await ra.checkIdentity(staffID: nurse.id, documents: ["utility-bill", "payslip", "bank-statement"], expectedVersion: 1, as: agent) }
            #expect(thin?.errors.first?.message.contains("photograph") == true)
            r = try await ra.checkIdentity(staffID: nurse.id, documents: ["passport", "utility-bill", "payslip"], expectedVersion: 1, as: agent)
            #expect(r.status == .identityChecked && r.identityCheckedBy == agent.name)

            _ = try await ra.apply(staffID: own.id, as: agent)
            _ = try await ra.checkIdentity(staffID: own.id, documents: ["passport", "utility-bill", "payslip"], expectedVersion: 1, as: agent)
            let selfApproval = await OrganisationServiceTests.serviceError {
                _ = try await ra.approve(staffID: own.id, positions: [.init(jobRole: "R8001", organisation: p.site.code, workgroup: "ward-nursing")], products: [],
                                         expectedVersion: 2, as: sponsor)
            }
            #expect(selfApproval?.kind == .refused && selfApproval?.message.contains("own access") == true)

            r = try await ra.approve(staffID: nurse.id, positions: [.init(jobRole: "R8001", organisation: p.site.code, workgroup: "ward-nursing")],
                                     products: [p.project.productCode], expectedVersion: 2, as: sponsor)
            let badCard = await OrganisationServiceTests.failure { _ = try await ra.issueCard(staffID: nurse.id, uuid: "12345", expectedVersion: 3, as: agent) }
            #expect(badCard?.errors.first?.message == RegistrationRules.uuidRule)
            r = try await ra.issueCard(staffID: nurse.id, uuid: "5555 6666 7777", expectedVersion: 3, as: agent)
            #expect(r.status == .cardIssued)

            let notProficient = await OrganisationServiceTests.serviceError { _ = try await ra.grant(staffID: nurse.id, overrideReason: nil, expectedVersion: 4, as: agent) }
            #expect(notProficient?.kind == .refused && notProficient?.message.contains("(IG-FRONTLINE)") == true, "the refusal names the missing course")
            let agentOverride = await OrganisationServiceTests.serviceError {
                _ = try await ra.grant(staffID: nurse.id, overrideReason: "Ward opening needs her on day one", expectedVersion: 4, as: agent)
            }
            #expect(agentOverride?.kind == .forbidden)
            #expect(try await app.store.registration(staffID: nurse.id)?.status == .cardIssued, "refusals changed nothing")
            r = try await ra.grant(staffID: nurse.id, overrideReason: "Ward opening needs her on day one", expectedVersion: 4, as: manager)
            #expect(r.status == .granted && r.overrideReason != nil && r.leadDays == 0)

            // A second nurse passes first, so needs no override.
            let second = try await add("Omar Said", "N3")
            let yesterday = TestApp.today.adding(days: -1).iso
            let results = "staff number,organisation,course,result,date\nN3,\(p.trust.code),IG-FRONTLINE,pass,\(yesterday)\nN3,\(p.trust.code),PATIENT-SEARCH,pass,\(yesterday)\n"
            #expect(try await training.importResults(Data(results.utf8), as: trainingManager) == 2)
            _ = try await ra.apply(staffID: second.id, as: agent)
            _ = try await ra.checkIdentity(staffID: second.id, documents: ["photocard-driving-licence", "council-tax-bill", "birth-certificate"], expectedVersion: 1, as: agent)
            _ = try await ra.approve(staffID: second.id, positions: [.init(jobRole: "R8001", organisation: p.site.code, workgroup: "ward-nursing")],
                                     products: [], expectedVersion: 2, as: sponsor)
            _ = try await ra.issueCard(staffID: second.id, uuid: "111122223333", expectedVersion: 3, as: agent)
            let taken = await OrganisationServiceTests.serviceError { _ = try await ra.renewCard(staffID: second.id, uuid: "111122223333", newUUID: "555566667777", expectedVersion: 4, as: agent) }
            #expect(taken?.kind == .conflict, "a UUID belongs to one card")
            r = try await ra.grant(staffID: second.id, overrideReason: nil, expectedVersion: 4, as: agent)
            #expect(r.status == .granted && r.overrideReason == nil)
            _ = try await ra.changeCard(staffID: second.id, uuid: "111122223333", action: "report-lost", expectedVersion: 5, as: agent)
            let lostAgain = await OrganisationServiceTests.serviceError { _ = try await ra.changeCard(staffID: second.id, uuid: "111122223333", action: "suspend", expectedVersion: 6, as: agent) }
            #expect(lostAgain?.kind == .refused)
            _ = try await ra.renewCard(staffID: second.id, uuid: "111122223333", newUUID: "999988887777", expectedVersion: 6, as: agent)
            #expect(try await app.store.smartcards(staffID: second.id).map(\.status) == [.renewed, .active])

            let patient = await Self.rejected {
                _ = try await training.importResults(Data("staff number,nhs no,organisation,course,result,date\nN3,9434765919,\(p.trust.code),ECDL,pass,2026-01-05\n".utf8), as: trainingManager)
            }
            #expect(patient?.problems.first?.message.contains("patient data") == true)

            let funnel = try await people.funnel(organisationCode: p.trust.code, as: manager).1
            #expect(funnel.needing - trustBefore.needing == 3 && funnel.registered - trustBefore.registered == 2
                    && funnel.cardIssued - trustBefore.cardIssued == 2 && funnel.proficient - trustBefore.proficient == 1
                    && funnel.granted - trustBefore.granted == 2 && funnel.overridden - trustBefore.overridden == 1, "\(trustBefore) -> \(funnel)")
            let national = try await people.overview(organisationCode: nil, as: npo)
            #expect(national.funnel.granted - nationalBefore.funnel.granted == 2)
            let leadsBefore = nationalBefore.leadTimes.first { $0.ra.id == p.trust.id }?.count ?? 0
            #expect(national.leadTimes.first { $0.ra.id == p.trust.id }?.count == leadsBefore + 2)
        }
    }

    @Test("a session needs a qualified trainer; a course needing basic skills needs ECDL or Getting Started first; a full session takes a waiting list; attendees pass and evaluate once",
          arguments: Backend.testable)
    func sessions(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let staff = StaffService(programme: app.service)
            let training = TrainingService(programme: app.service)
            let manager = try await SupplierContractTests.user(app, .trainingManager)
            let trainer = try await SupplierContractTests.user(app, .trainer)
            let p = try Self.place(app)
            func add(_ name: String, _ number: String) async throws -> StaffMember {
                try await staff.add(StaffChange(name: name, staffNumber: number, organisation: p.trust.code, jobRole: "R8010", site: p.site.code), as: manager)
            }
            let teacher = try await add("Tess Teach", "T1"), a = try await add("Ann A", "S1"), b = try await add("Bob B", "S2")
            let day = TestApp.today.iso
            let unqualified = await OrganisationServiceTests.serviceError {
                _ = try await training.createSession(courseCode: "IG-FRONTLINE", site: p.site.code, venue: "Room 1", on: day, trainerID: teacher.id, capacity: 1, as: manager)
            }
            #expect(unqualified?.kind == .refused && unqualified?.message.contains("not qualified") == true)
            _ = try await training.qualify(staffID: teacher.id, courseCode: "IG-FRONTLINE", on: TestApp.today.adding(days: -10).iso, as: manager)
            let session = try await training.createSession(courseCode: "IG-FRONTLINE", site: p.site.code, venue: "Room 1", on: day, trainerID: teacher.id,
                                                           capacity: 1, as: manager)
            let noBasics = await OrganisationServiceTests.serviceError { _ = try await training.book(sessionID: session.id, staffID: a.id, waitingList: false, expectedVersion: 1, as: trainer) }
            #expect(noBasics?.kind == .refused && noBasics?.message.contains("ECDL") == true)
            let basics = "staff number,organisation,course,result,date\nS1,\(p.trust.code),ECDL,pass,\(day)\nS2,\(p.trust.code),GETTING-STARTED,pass,\(day)\n"
            _ = try await training.importResults(Data(basics.utf8), as: manager)
            #expect(try await training.book(sessionID: session.id, staffID: a.id, waitingList: false, expectedVersion: 1, as: trainer) == .booked)
            let full = await OrganisationServiceTests.serviceError { _ = try await training.book(sessionID: session.id, staffID: b.id, waitingList: false, expectedVersion: 2, as: trainer) }
            #expect(full?.kind == .refused && full?.message.contains("full") == true)
            #expect(try await training.book(sessionID: session.id, staffID: b.id, waitingList: true, expectedVersion: 2, as: trainer) == .waiting)
            try await training.cancelBooking(sessionID: session.id, staffID: a.id, expectedVersion: 3, as: trainer)
            var view = try await training.session(id: session.id, as: trainer)
            #expect(view.bookings.map { "\($0.person.name):\($0.booking.status.rawValue)" }.sorted() == ["Ann A:cancelled", "Bob B:booked"], "the first waiting takes the place")

            let early = await OrganisationServiceTests.serviceError {
                _ = try await training.evaluate(sessionID: session.id, staffID: b.id, ratings: [5, 4, 4, 5], comment: "", as: trainer)
            }
            #expect(early?.kind == .refused, "only attendees evaluate")
            try await training.recordAttendance(sessionID: session.id, staffID: b.id, attended: true, result: "pass", expectedVersion: 4, as: trainer)
            let badRatings = await OrganisationServiceTests.failure { _ = try await training.evaluate(sessionID: session.id, staffID: b.id, ratings: [6, 4, 4], comment: "", as: trainer) }
            #expect(badRatings?.errors.map(\.field) == ["ratings"])
            try await training.evaluate(sessionID: session.id, staffID: b.id, ratings: [5, 4, 3, 5], comment: "Clear.", as: trainer)
            let twice = await OrganisationServiceTests.serviceError { _ = try await training.evaluate(sessionID: session.id, staffID: b.id, ratings: [5, 4, 3, 5], comment: "", as: trainer) }
            #expect(twice?.kind == .conflict)
            view = try await training.session(id: session.id, as: trainer)
            #expect(view.evaluationMeans == [5, 4, 3, 5])
            let record = try await app.store.personRecords(staffIDs: [b.id])[b.id]
            #expect(record?.results.contains { $0.courseCode == "IG-FRONTLINE" && $0.passed } == true && record?.attended == ["IG-FRONTLINE"])
        }
    }

    @Test("the funnel at a trust is the sum of its generated people's statuses; the forecast counts each site's people and flags the demo trust's sites that fall short",
          arguments: Backend.testable)
    func rollUpsAndForecast(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let people = PeopleReadinessService(programme: app.service)
            let manager = try await SupplierContractTests.user(app, .registrationAuthorityManager)
            let p = try Self.place(app)
            let sites = Dictionary(uniqueKeysWithValues: app.dataset.organisations.map { ($0.id, $0) })
            let here = app.dataset.people.staff.filter { sites[$0.mainSiteID]?.ancestry.trustID == p.trust.id || $0.mainSiteID == p.trust.id }
            #expect(here.count >= 6)
            let funnel = try await people.funnel(organisationCode: p.trust.code, as: manager).1
            #expect(funnel.needing == here.count { $0.status.needsAccess } && funnel.granted == here.count { $0.status.granted }
                    && funnel.proficient == here.count { $0.status.proficient } && funnel.registered == here.count { $0.status.registered })

            let (_, outcomes) = try await people.forecast(organisationCode: p.trust.code, as: manager)
            #expect(!outcomes.isEmpty && outcomes.contains { !$0.willBeReady }, "the demo trust is short of trained users")
            for outcome in outcomes {
                let counted = here.filter { $0.mainSiteID == outcome.site.organisationID || sites[$0.mainSiteID]?.parentID == outcome.site.organisationID }
                #expect(outcome.site.needing == counted.count { $0.status.needsAccess })
                #expect(outcome.site.ready == counted.count { $0.status.readyOn != nil })
            }
            // Those short are listed first.
            let firstReady = outcomes.firstIndex { $0.willBeReady } ?? outcomes.count
            #expect(outcomes[firstReady...].allSatisfy { $0.willBeReady })
        }
    }
}
