import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Go Live Checklists (issue 14, part 4), on both backends: items with an owner, evidence and a
/// sign-off, at the version read; complete checklists stand for their product at the gate.
@Suite("Go Live Checklists: owner, evidence and sign-off per item")
struct GoLiveChecklistTests {
    @Test("an item is signed off only with an owner and evidence; a change withdraws its sign-off; stale versions change nothing; all signed off meets the gate's product",
          arguments: Backend.testable)
    func itemsAndSignOff(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = GoLiveChecklistService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let ra = try await SupplierContractTests.user(app, .registrationAuthorityManager)
            let code = try DataQualityTests.project(app).code

            let started = try await service.start(projectCode: code, template: "clinical-risk", as: pm)
            #expect(started.version == 1 && started.items.count == 3 && started.items.allSatisfy { $0.owner.isEmpty && !$0.isSignedOff })
            let again = await OrganisationServiceTests.serviceError { _ = try await service.start(projectCode: code, template: "clinical-risk", as: pm) }
            #expect(again?.kind == .conflict)
            let unknown = await OrganisationServiceTests.failure { _ = try await service.start(projectCode: code, template: "astrology", as: pm) }
            #expect(unknown?.errors.map(\.field) == ["template"])

            let item = "clinical-risk.hazards"
            let bare = await OrganisationServiceTests.serviceError { _ = try await service.signOff(projectCode: code, template: "clinical-risk", item: item, expectedVersion: 1, as: pm) }
            #expect(bare?.kind == .refused && bare?.message.contains("owner and evidence") == true)
            let tooLong = await OrganisationServiceTests.failure {
                _ = try await service.update(projectCode: code, template: "clinical-risk", item: item, owner: "CSO", evidence: String(repeating: "x", count: 1001),
                                             expectedVersion: 1, as: pm)
            }
            #expect(tooLong?.errors.map(\.field) == ["evidence"])
            var list = try await service.update(projectCode: code, template: "clinical-risk", item: item, owner: "Clinical Safety Officer",
                                                evidence: "Hazard log review minutes, DOC-0042", expectedVersion: 1, as: pm)
            #expect(list.version == 2)
            let stale = await OrganisationServiceTests.serviceError { _ = try await service.signOff(projectCode: code, template: "clinical-risk", item: item, expectedVersion: 1, as: pm) }
            #expect(stale?.kind == .staleVersion)
            let notPermitted = await OrganisationServiceTests.serviceError { _ = try await service.signOff(projectCode: code, template: "clinical-risk", item: item, expectedVersion: 2, as: ra) }
            #expect(notPermitted?.kind == .forbidden)
            #expect(try await service.checklist(projectCode: code, template: "clinical-risk", as: pm).1 == list, "nothing changed")
            list = try await service.signOff(projectCode: code, template: "clinical-risk", item: item, expectedVersion: 2, as: pm)
            #expect(list.item(item)?.signedBy == pm.name && list.signedOffCount == 1)
            list = try await service.update(projectCode: code, template: "clinical-risk", item: item, owner: "Clinical Safety Officer",
                                            evidence: "Hazard log review minutes, DOC-0043", expectedVersion: 3, as: pm)
            #expect(list.item(item)?.isSignedOff == false, "new evidence needs a new sign-off")

            let gates = GateService(programme: app.service)
            func checklistRequirement() async throws -> GateRequirement {
                try #require(try await gates.goLiveCheck(projectCode: code, as: pm).requirements.first {
                    if case .document(let p, _) = $0.kind { p.code == "GO-LIVE-CHECKLIST" } else { false }
                })
            }
            #expect(try await checklistRequirement().met == false)
            for state in list.items {
                list = try await service.update(projectCode: code, template: "clinical-risk", item: state.itemID, owner: "Clinical Safety Officer",
                                                evidence: "Evidence for \(state.itemID)", expectedVersion: list.version, as: pm)
                list = try await service.signOff(projectCode: code, template: "clinical-risk", item: state.itemID, expectedVersion: list.version, as: pm)
            }
            #expect(list.isComplete)
            let met = try await checklistRequirement()
            #expect(met.met && met.evidence?.source == .goLiveChecklists && met.evidence?.versionNumber == 1, "\(met.detail)")
            let trail = try await app.store.auditEntries(AuditQuery(entityType: "go_live_checklist", entityID: list.id, limit: 50)).items
            #expect(trail.count == 1 + 3 + 2 * list.items.count, "every write audited: start, three item writes, then each item saved and signed")
        }
    }

    @Test("the pages start a checklist and save and sign an item; the API does the same with If-Match", arguments: Backend.testable)
    func pagesAndAPI(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try DataQualityTests.project(app).code
            try await app.test(as: .trustProjectManager) { client in
                let listPage = try await client.execute(uri: "/projects/\(code)/go-live-checklists", method: .get)
                #expect(listPage.text.contains("Not started"))
                let form = try FormSession(listPage)
                let started = try await client.execute(uri: "/projects/\(code)/go-live-checklists", method: .post, headers: form.headers(),
                                                       body: form.body([("template", "cutover")]))
                #expect(started.status == .seeOther && started.headers[.location] == "/projects/\(code)/go-live-checklists/cutover?started=1")
                let page = try await client.execute(uri: "/projects/\(code)/go-live-checklists/cutover", method: .get)
                let itemForm = try FormSession(page)
                #expect(itemForm.version == "1")
                let saved = try await client.execute(uri: "/projects/\(code)/go-live-checklists/cutover/items/cutover.plan", method: .post,
                                                     headers: itemForm.headers(), body: itemForm.body([("owner", "Cutover manager"), ("evidence", "Cutover plan v3")]))
                #expect(saved.status == .seeOther, "\(saved.text)")
                let stale = try await client.execute(uri: "/projects/\(code)/go-live-checklists/cutover/items/cutover.plan/sign-off", method: .post,
                                                     headers: itemForm.headers(), body: itemForm.body([]))
                #expect(stale.status == .preconditionFailed && stale.text.contains("Someone else changed"))
                let after = try await client.execute(uri: "/projects/\(code)/go-live-checklists/cutover", method: .get)
                #expect(after.text.contains("Cutover plan v3") && after.text.contains("Sign off"))

                let api = "/api/v1/projects/\(code)/go-live-checklists/cutover"
                let read = try await client.execute(uri: api, method: .get)
                #expect(read.headers[.eTag] == "\"2\"")
                let noVersion = try await client.execute(uri: "\(api)/items/cutover.plan/sign-off", method: .post)
                #expect(noVersion.status == .preconditionRequired)
                let signed = try await client.execute(uri: "\(api)/items/cutover.plan/sign-off", method: .post, headers: [HTTPField.Name("If-Match")!: "\"2\""])
                #expect(signed.status == .ok && signed.headers[.eTag] == "\"3\"", "\(signed.text)")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(signed.text.utf8)) as? [String: Any])
                #expect(body["signedOff"] as? Int == 1 && body["complete"] as? Bool == false)
                let put = try await client.execute(uri: "\(api)/items/cutover.back-out", method: .put,
                                                   headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"3\""],
                                                   body: ByteBuffer(string: #"{"owner": "Cutover manager", "evidence": "Back-out plan agreed 3 Dec"}"#))
                #expect(put.status == .ok, "\(put.text)")
            }
        }
    }
}
