import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// The readiness surveys (issue 14, parts 1 and 2), on both backends: answers on each
/// question's scale, versions guarded by the version read, and a sign-off that names its version.
@Suite("Readiness surveys: the ORA and the baseline surveys")
struct SurveyTests {
    @Test("answers are saved at the version read; an answer off its scale, a stale version or a missing one changes nothing; a sign-off holds until the next change",
          arguments: Backend.testable)
    func answerAndSignOff(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = SurveyService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let board = try await SupplierContractTests.user(app, .projectBoardMember)
            let code = try DataQualityTests.project(app).code
            let ora = SurveyKind.organisationalReadiness.rawValue
            let due = TestApp.today.adding(days: 30).iso

            var input = SurveyInput(answers: [
                "ora.staff.count": .init(count: "1,250"),
                "ora.resources.funding": .init(rating: "not-ready", finding: "Local funding is not yet approved.",
                                               actions: [(text: "Take the case to the trust board", owner: "Director of Finance", due: due)]),
                "ora.sites.surveyed": .init(rating: "partly-ready", finding: "Two of five sites surveyed."),
                "ora.systems.inventory": .init(rating: "ready"),
            ])
            let first = try await service.save(projectCode: code, kind: ora, input, expectedVersion: nil, as: pm)
            #expect(first.version == 1 && first.answers.count == 4 && first.overall == .notReady)
            #expect(first.answer("ora.staff.count")?.count == 1250 && first.answer("ora.resources.funding")?.actions.first?.owner == "Director of Finance")
            #expect(first.openFindings.map(\.questionID) == ["ora.sites.surveyed"], "a finding with an action is not open")

            for (bad, field) in [(SurveyInput(answers: ["ora.sites.surveyed": .init(rating: "mostly")]), "answer.ora.sites.surveyed.rating"),
                                 (SurveyInput(answers: ["ora.staff.count": .init(rating: "ready")]), "answer.ora.staff.count.count"),
                                 (SurveyInput(answers: ["ora.staff.count": .init(count: "-3")]), "answer.ora.staff.count.count"),
                                 (SurveyInput(answers: ["ora.nothing": .init(rating: "ready")]), "answers"),
                                 (SurveyInput(answers: ["ora.sites.surveyed": .init(rating: "ready", actions: [(text: "Survey", owner: "", due: due)])]),
                                  "answer.ora.sites.surveyed.action")] {
                let refused = await OrganisationServiceTests.failure {
                    _ = try await service.save(projectCode: code, kind: ora, bad, expectedVersion: 1, as: pm)
                }
                #expect(refused?.errors.map(\.field) == [field], "\(refused?.errors ?? [])")
            }
            let missing = await OrganisationServiceTests.serviceError { _ = try await service.save(projectCode: code, kind: ora, input, expectedVersion: nil, as: pm) }
            #expect(missing?.kind == .versionRequired)
            let stale = await OrganisationServiceTests.serviceError { _ = try await service.save(projectCode: code, kind: ora, input, expectedVersion: 7, as: pm) }
            #expect(stale?.kind == .staleVersion)
            #expect(try await service.survey(projectCode: code, kind: ora, as: pm).1 == first, "nothing was written")

            let signed = try await service.signOff(projectCode: code, kind: ora, expectedVersion: 1, as: board)
            #expect(signed.isSignedOff && signed.signedOffVersion == 1)
            let notBoard = await OrganisationServiceTests.serviceError { _ = try await service.signOff(projectCode: code, kind: ora, expectedVersion: 1, as: try await SupplierContractTests.user(app, .registrationAuthorityManager)) }
            #expect(notBoard?.kind == .forbidden)
            input.answers["ora.sites.surveyed"] = .init(rating: "ready")
            let changed = try await service.save(projectCode: code, kind: ora, input, expectedVersion: 1, as: pm)
            #expect(changed.version == 2 && !changed.isSignedOff && changed.signedOffVersion == 1, "a change after sign-off needs signing again")
            let unknown = await OrganisationServiceTests.serviceError { _ = try await service.survey(projectCode: code, kind: "astrology", as: pm) }
            #expect(unknown?.kind == .notFound)
            let all = try await service.surveys(projectCode: code, as: board).1
            #expect(all.keys.sorted { $0.rawValue < $1.rawValue } == [.organisationalReadiness])
        }
    }

    @Test("a finding becomes a risk in the project's register in one click, linked back; a later save keeps the link and its sign-off is untouched",
          arguments: Backend.testable)
    func findingToRisk(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = SurveyService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let project = try DataQualityTests.project(app)
            let kind = SurveyKind.infrastructure.rawValue
            let input = SurveyInput(answers: ["infra.n3": .init(rating: "not-ready", finding: "N3 bandwidth is 2 Mb/s; 8 are needed."),
                                              "infra.lan": .init(rating: "ready")])
            let saved = try await service.save(projectCode: code(project), kind: kind, input, expectedVersion: nil, as: pm)
            let ready = await OrganisationServiceTests.serviceError {
                _ = try await service.raise(projectCode: project.code, kind: kind, questionID: "infra.lan", as: .risk, as: pm)
            }
            #expect(ready?.kind == .refused)
            let risk = try await service.raise(projectCode: project.code, kind: kind, questionID: "infra.n3", as: .risk, as: pm)
            #expect(risk.kind == .risk && risk.owner.projectID == project.id && risk.area == .it && risk.description.contains("8 are needed"))
            #expect(try await app.store.trackingItem(id: risk.id, scope: .national)?.title == "Infrastructure survey: Is the N3 connection live with enough bandwidth?")
            let twice = await OrganisationServiceTests.serviceError {
                _ = try await service.raise(projectCode: project.code, kind: kind, questionID: "infra.n3", as: .issue, as: pm)
            }
            #expect(twice?.kind == .conflict)
            let linked = try await service.survey(projectCode: project.code, kind: kind, as: pm).1
            #expect(linked.answer("infra.n3")?.trackingItemID == risk.id && linked.version == saved.version && linked.openFindings.isEmpty)
            var changed = input
            changed.answers["infra.n3"]?.finding = "Upgrade ordered."
            let resaved = try await service.save(projectCode: project.code, kind: kind, changed, expectedVersion: linked.version, as: pm)
            #expect(try await service.survey(projectCode: project.code, kind: kind, as: pm).1.answer("infra.n3")?.trackingItemID == risk.id)
            #expect(resaved.version == linked.version + 1)
        }
    }

    func code(_ project: ImplementationProject) -> String { project.code }
}

/// The surveys on the pages and over the API.
@Suite("Readiness surveys in the web app and the API")
struct SurveyHTTPTests {
    @Test("the form saves ratings and an action, shows a bad rating beside its question, raises a finding as a risk, and the board signs it off")
    func pages() async throws {
        try await TestApp.with(.sqlite) { app async throws in
            let code = try DataQualityTests.project(app).code
            let base = "/projects/\(code)/readiness/hardware"
            try await app.test(as: .trustProjectManager) { client async throws in
                let list = try await client.execute(uri: "/projects/\(code)/readiness", method: .get)
                #expect(list.status == .ok && list.text.contains("Organisational Readiness Assessment") && list.text.contains("Not started"))
                let page = try await client.execute(uri: base, method: .get)
                #expect(page.status == .ok && page.text.contains("Does every device that needs one have a smartcard reader?"))
                let form = try FormSession(page)
                let bad = try await client.execute(uri: base, method: .post, headers: form.headers(),
                                                   body: form.body([("version", "0"), ("answer.hardware.spec.rating", "mostly")]))
                #expect(bad.status == .unprocessableContent && bad.text.contains("not on the scale") && bad.text.contains("Nothing was changed"))
                let fields = [("version", "0"), ("answer.hardware.devices.count", "340"), ("answer.hardware.spec.rating", "not-ready"),
                              ("answer.hardware.spec.finding", "120 PCs are below the specification."), ("answer.hardware.smartcards.rating", "partly-ready"),
                              ("answer.hardware.smartcards.action", "Order readers"), ("answer.hardware.smartcards.owner", "IT manager"),
                              ("answer.hardware.smartcards.due", TestApp.today.adding(days: 20).iso)]
                let saved = try await client.execute(uri: base, method: .post, headers: form.headers(), body: form.body(fields))
                #expect(saved.status == .seeOther)
                let shown = try await client.execute(uri: "\(base)?saved=1", method: .get).text
                #expect(shown.contains("Answers saved") && shown.contains("rag-red") && shown.contains("Raise as a risk") && shown.contains("value=\"340\""))
                let raised = try await client.execute(uri: "\(base)/raise", method: .post, headers: form.headers(),
                                                      body: form.body([("question", "hardware.spec"), ("as", "risk")]))
                #expect(raised.status == .seeOther && raised.headers[.location]?.contains("raised=R") == true)
                let stale = try await client.execute(uri: base, method: .post, headers: form.headers(), body: form.body(fields))
                #expect(stale.status == .preconditionFailed || stale.status == .preconditionRequired, "version 0 no longer matches")
                var upload = form.headers()
                upload[.contentType] = "multipart/form-data; boundary=survey"
                let csv = "question,rating\r\nhardware.spec,ready\r\nhardware.smartcards,sometimes\r\n"
                let multipart = "--survey\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(form.token)\r\n--survey\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1\r\n"
                    + "--survey\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--survey--\r\n"
                let imported = try await client.execute(uri: "\(base)/import", method: .post, headers: upload, body: ByteBuffer(string: multipart))
                #expect(imported.status == .unprocessableContent && imported.text.contains("Line 3:") && imported.text.contains("is not on the scale"))
            }
            try await app.test(as: .projectBoardMember) { client async throws in
                let page = try await client.execute(uri: base, method: .get)
                #expect(page.text.contains("Sign off version 1") && !page.text.contains("Save answers"))
                let form = try FormSession(page)
                let signed = try await client.execute(uri: "\(base)/sign-off", method: .post, headers: form.headers(), body: form.body([("version", "1")]))
                #expect(signed.status == .seeOther)
                #expect(try await client.execute(uri: "\(base)?signed=1", method: .get).text.contains("Signed off by"))
            }
        }
    }

    @Test("the API answers with If-Match, refuses a count off its scale, signs off and raises a finding", arguments: Backend.testable)
    func api(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let code = try DataQualityTests.project(app).code
            let uri = "/api/v1/projects/\(code)/surveys/staff"
            try await app.test(as: .trustProjectManager) { client async throws in
                let blank = try await client.execute(uri: uri, method: .get)
                #expect(blank.status == .ok && blank.headers[.eTag] == "\"0\"")
                let body = #"{"answers": [{"question": "staff.users", "count": 900}, {"question": "staff.tna", "rating": "not-ready", "finding": "No TNA yet"}]}"#
                let first = try await client.execute(uri: uri, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(first.status == .ok && first.headers[.eTag] == "\"1\"" && first.text.contains(#""overall":"not-ready""#))
                let again = try await client.execute(uri: uri, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(again.status == .preconditionRequired)
                let off = #"{"answers": [{"question": "staff.users", "count": 2000000}]}"#
                let refused = try await client.execute(uri: uri, method: .put, headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"1\""],
                                                       body: ByteBuffer(string: off))
                #expect(refused.status == .unprocessableContent && refused.text.contains("from 0 to 1000000"))
                let raised = try await client.execute(uri: "\(uri)/findings/staff.tna/raise?as=issue", method: .post)
                #expect(raised.status == .created && raised.text.contains(#""reference":"I"#))
                let list = try await client.execute(uri: "/api/v1/projects/\(code)/surveys", method: .get)
                #expect(list.text.contains(#""kind":"staff""#) && list.text.contains(#""openFindings":0"#))
            }
            try await app.test(as: .projectBoardMember) { client async throws in
                let signed = try await client.execute(uri: "\(uri)/sign-off", method: .post, headers: [HTTPField.Name("If-Match")!: "\"1\""])
                #expect(signed.status == .ok && signed.text.contains(#""signedOff":true"#))
            }
        }
    }

    @Test("a CSV import fills a survey all or nothing, listing bad rows by line; the organisation page counts stage 0 sites by ORA rating",
          arguments: Backend.testable)
    func importAndRollUp(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let service = SurveyService(programme: app.service)
            let project = try #require(app.dataset.projects.first { $0.stage == .prepare && $0.type == .lsp })
            let trust = try #require(app.dataset.organisations.first { $0.id == project.ancestry.trustID })
            let npo = try await SupplierContractTests.user(app)
            let before = try await service.stageZeroReadiness(organisationCode: trust.code, as: npo)
            #expect((before[nil] ?? 0) > 0 && before[.notReady] == nil, "nothing is assessed yet: \(before)")
            let uri = "/api/v1/projects/\(project.code)/surveys/organisational-readiness"
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let bad = "question,rating,count,finding,action,owner,due\nora.sites.surveyed,mostly,,,,,\nora.nothing,ready,,,,,\nora.staff.count,,12,,,,\n"
                let refused = try await client.execute(uri: uri, method: .put, headers: [.contentType: "text/csv"], body: ByteBuffer(string: bad))
                #expect(refused.status == .unprocessableContent && refused.text.contains("line 3") && refused.text.contains("not a question"), "\(refused.text)")
                let offScale = "question,rating\nora.staff.count,\nora.sites.surveyed,mostly\n"
                let second = try await client.execute(uri: uri, method: .put, headers: [.contentType: "text/csv"], body: ByteBuffer(string: offScale))
                #expect(second.status == .unprocessableContent && second.text.contains("line 3") && second.text.contains("not on the scale"), "\(second.text)")
                #expect(try await service.survey(projectCode: project.code, kind: "organisational-readiness", as: npo).1.version == 0, "nothing was saved")
                let good = """
                    question,rating,count,finding,action,owner,due
                    ora.staff.count,,250,,,,
                    ora.resources.funding,not-ready,,"Funding bid, not yet approved",Write the bid,Finance lead,\(TestApp.today.adding(days: 10).iso)
                    ora.resources.funding,,,,Present it to the board,Chief executive,\(TestApp.today.adding(days: 30).iso)
                    ora.sites.surveyed,ready,,,,,

                    """
                let imported = try await client.execute(uri: uri, method: .put, headers: [.contentType: "text/csv"], body: ByteBuffer(string: good))
                #expect(imported.status == .ok && imported.headers[.eTag] == "\"1\"", "\(imported.text)")
                let page = try await client.execute(uri: "/organisations/\(trust.code)", method: .get)
                #expect(page.text.contains("Organisational readiness (stage 0)") && page.text.contains("Not ready 1"))
                let api = try await client.execute(uri: "/api/v1/organisations/\(trust.code)/readiness", method: .get)
                #expect(api.status == .ok && api.text.contains(#""notReady":1"#) && api.text.contains(#""notAssessed":\#((before[nil] ?? 0) - 1)"#), "\(api.text)")
            }
            let stored = try await service.survey(projectCode: project.code, kind: "organisational-readiness", as: npo).1
            #expect(stored.answer("ora.resources.funding")?.actions.map(\.owner) == ["Finance lead", "Chief executive"])
            #expect(stored.answer("ora.resources.funding")?.finding == "Funding bid, not yet approved")
            let after = try await service.stageZeroReadiness(organisationCode: trust.code, as: npo)
            #expect(after[.notReady] == 1 && after[nil] == (before[nil] ?? 0) - 1, "\(after)")
        }
    }
}
