import Foundation
import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: documents, stage gates and the hazard log")
struct DocumentStorageTests {
    static let project = Fixture.dataset.projects.first { $0.type == .lsp }!
    static let other = Fixture.dataset.projects.first { $0.type == .lsp && $0.ancestry.clusterID != project.ancestry.clusterID }!

    static func audit(_ action: String) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00.000Z", actor: "contract test", origin: "tests", action: action, entityType: "document",
                    entityID: 0, before: nil, after: #"{"note":"\#(action)"}"#)
    }

    static func hash(_ bytes: [UInt8]) -> String {
        // Any 64 hex digits serve the store; the service computes real SHA-256.
        let sum = bytes.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        return String(repeating: String(sum, radix: 16).leftPad16, count: 4)
    }

    static func version(_ bytes: [UInt8], number: Int = 1, author: String = "pm") -> DocumentVersion {
        DocumentVersion(number: number, state: .draft, fileName: "pid-v\(number).md", fileType: .markdown, size: bytes.count,
                        contentHash: hash(bytes), author: author, authoredAt: "2026-11-24T12:00:00.000Z", changeSummary: "v\(number)")
    }

    static func newDocument(_ project: ImplementationProject = project, code: String = "PID") -> ProjectDocument {
        ProjectDocument(owner: .project(project), productCode: code, latestVersion: 1, createdBy: "pm", createdAt: "2026-11-24T12:00:00.000Z")
    }

    @Test("a document's versions keep their bytes, states and approval, on both file stores", arguments: Backend.testable)
    func versionsRoundTrip(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Fixture.dataset) { scratch async throws in
            // The scratch store keeps bytes in the database; SQLite's own store keeps them as files.
            for (store, code) in [(scratch.store, "PID"), (try await scratch.openStore(), "ORR")] {
                let first: [UInt8] = Array("# PID\n\nVersion one, with a NUL \u{0} and high bytes é".utf8) + [0xFF, 0x00, 0x7F]
                var record = try await store.addDocumentVersion(to: .new(Self.newDocument(code: code)), version: Self.version(first),
                                                                content: first, supersede: [], audit: Self.audit("create"))
                let document = record.document
                #expect(document.id > 0 && document.version == 1 && document.latestVersion == 1 && document.state == .draft)
                #expect(try await store.documentContent(hash: Self.hash(first)) == first, "bytes round-trip exactly")
                let v1 = try #require(record.versions.first)
                // Submit v1, then add v2 that supersedes it.
                var changed = document
                changed.state = .inReview
                record = try await store.changeDocumentVersion(document: changed, versionID: v1.id, state: .inReview, approval: nil,
                                                               supersede: [], comment: nil, audit: Self.audit("submit"))
                #expect(record.document.version == 2 && record.versions[0].state == .inReview)
                let second = Array("# PID v2".utf8)
                var next = record.document
                next.latestVersion = 2
                next.state = .draft
                record = try await store.addDocumentVersion(to: .stored(next), version: Self.version(second, number: 2), content: second,
                                                            supersede: [v1.id], audit: Self.audit("v2"))
                #expect(record.versions.map(\.number) == [2, 1])
                #expect(record.versions.map(\.state) == [.draft, .superseded])
                // Approve v2 with its hash.
                let v2 = record.versions[0]
                var approved = record.document
                approved.state = .approved
                approved.signedOffVersion = 2
                let approval = DocumentApproval(by: "board", role: .projectBoardMember, at: "2026-11-25T09:00:00.000Z", contentHash: v2.contentHash)
                record = try await store.changeDocumentVersion(document: approved, versionID: v2.id, state: .approved, approval: approval,
                                                               supersede: [], comment: nil, audit: Self.audit("approve"))
                #expect(record.versions[0].approval == approval)
                #expect(record.document.signedOffVersion == 2)
                _ = try await store.addReviewComment(ReviewComment(versionID: v2.id, author: "cso", role: .clinicalSafetyOfficer,
                                                                   at: "t", text: "Looks right"), audit: Self.audit("comment"))
                let reread = try #require(try await store.documentRecord(id: document.id, scope: .national))
                #expect(reread.comments.map(\.text) == ["Looks right"])
                #expect(try await store.documents(projectID: Self.project.id).map(\.productCode).contains(code))
            }
        }
    }

    @Test("a stale document version changes nothing, bytes or audit", arguments: Backend.testable)
    func staleWritesChangeNothing(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Fixture.dataset) { scratch async throws in
            let bytes = Array("draft".utf8)
            let record = try await scratch.store.addDocumentVersion(to: .new(Self.newDocument()), version: Self.version(bytes), content: bytes,
                                                                    supersede: [], audit: Self.audit("create"))
            let before = try await scratch.counts()
            var stale = record.document
            stale.version = 7
            stale.latestVersion = 2
            let other = Array("other".utf8)
            await #expect(throws: StorageError.self) {
                _ = try await scratch.store.addDocumentVersion(to: .stored(stale), version: Self.version(other, number: 2), content: other,
                                                               supersede: [], audit: Self.audit("stale"))
            }
            await #expect(throws: StorageError.self) {
                _ = try await scratch.store.changeDocumentVersion(document: stale, versionID: record.versions[0].id, state: .inReview,
                                                                  approval: nil, supersede: [], comment: nil, audit: Self.audit("stale"))
            }
            #expect(try await scratch.counts() == before)
            #expect(try await scratch.store.documentContent(hash: Self.hash(other)) == nil, "the refused version's bytes were not kept")
        }
    }

    @Test("documents, gates and hazards are read only within scope", arguments: Backend.testable)
    func scoped(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Fixture.dataset) { scratch async throws in
            let store = scratch.store
            let bytes = Array("x".utf8)
            let record = try await store.addDocumentVersion(to: .new(Self.newDocument()), version: Self.version(bytes), content: bytes,
                                                            supersede: [], audit: Self.audit("create"))
            let own = AccessScope.subtree(kind: .cluster, id: Self.project.ancestry.clusterID!)
            let elsewhere = AccessScope.subtree(kind: .cluster, id: Self.other.ancestry.clusterID!)
            #expect(try await store.document(id: record.document.id, scope: own) != nil)
            #expect(try await store.document(id: record.document.id, scope: elsewhere) == nil)
            #expect(try await store.documentRecord(id: record.document.id, scope: .supplier(id: -1)) == nil)
            let hazard = try await store.saveHazard(Hazard(owner: .project(Self.project), title: "Wrong patient", cause: "c", effect: "e", harm: "h",
                                                           initialSeverity: .major, initialLikelihood: .high, controls: [],
                                                           residualSeverity: .major, residualLikelihood: .low),
                                                    expectedVersion: nil, audit: Self.audit("hazard"))
            #expect(try await store.hazard(id: hazard.id, scope: own)?.title == "Wrong patient")
            #expect(try await store.hazard(id: hazard.id, scope: elsewhere) == nil)
        }
    }

    @Test("gate decisions keep their evidence, are decided once, and roll up by level", arguments: Backend.testable)
    func gates(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Fixture.dataset) { scratch async throws in
            let store = scratch.store
            let evidence = [GateEvidence(productCode: "PROJECT-BRIEF", documentID: 3, versionNumber: 2, contentHash: String(repeating: "f", count: 64))]
            let decision = GateDecision(owner: .project(Self.project), stage: .prepare, outcome: .passed, decidedBy: "board",
                                        role: .projectBoardMember, reason: nil, decidedAt: "2026-11-24T12:00:00.000Z", evidence: evidence, gaps: [])
            let saved = try await store.recordGateDecision(decision, audit: Self.audit("gate"))
            #expect(try await store.gateDecisions(projectID: Self.project.id) == [saved])
            let before = try await scratch.counts()
            await #expect(throws: StorageError.self) { _ = try await store.recordGateDecision(decision, audit: Self.audit("again")) }
            #expect(try await scratch.counts() == before)
            var overridden = decision
            overridden.owner = .project(Self.other)
            overridden.outcome = .overridden
            overridden.reason = "Board accepted the risk"
            overridden.gaps = ["No Project Brief"]
            _ = try await store.recordGateDecision(overridden, audit: Self.audit("override"))
            let cluster = try #require(Fixture.organisationsByID[Self.project.ancestry.clusterID!])
            let rollUp = try await store.gateRollUp(for: cluster, scope: .national)
            #expect(rollUp.projects == Fixture.dataset.projects.filter { $0.ancestry.clusterID == cluster.id }.count)
            #expect(rollUp.gates[.prepare]?.passed == 1 && rollUp.gates[.prepare]?.overridden == 0)
            let national = try await store.gateRollUp(for: Fixture.national, scope: .national)
            #expect(national.gates[.prepare]?.passed == 1 && national.gates[.prepare]?.overridden == 1)
            #expect(national.projects == Fixture.dataset.projects.count)
            let outside = try await store.gateRollUp(for: cluster, scope: .subtree(kind: .cluster, id: Self.other.ancestry.clusterID!))
            #expect(outside.projects == 0 && outside.gates.isEmpty, "a scope elsewhere counts nothing")
        }
    }

    @Test("hazards update only at their version; sign-offs and catalogue versions are kept", arguments: Backend.testable)
    func hazardsAndSignOff(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Fixture.dataset) { scratch async throws in
            let store = scratch.store
            var hazard = try await store.saveHazard(Hazard(owner: .project(Self.project), title: "Allergy loss", cause: "c", effect: "e", harm: "h",
                                                           initialSeverity: .major, initialLikelihood: .high,
                                                           controls: [HazardControl(description: "Map codes", verification: "Reconcile", verified: true)],
                                                           residualSeverity: .significant, residualLikelihood: .low),
                                                    expectedVersion: nil, audit: Self.audit("hazard"))
            hazard.status = .closed
            let updated = try await store.saveHazard(hazard, expectedVersion: 1, audit: Self.audit("close"))
            #expect(updated.version == 2)
            #expect(try await store.hazards(projectID: Self.project.id) == [updated])
            await #expect(throws: StorageError.self) { _ = try await store.saveHazard(hazard, expectedVersion: 1, audit: Self.audit("stale")) }
            #expect(try await store.latestSafetySignOff(projectID: Self.project.id) == nil)
            let signOff = try await store.recordSafetySignOff(SafetyCaseSignOff(projectID: Self.project.id, signedBy: "cso", signedAt: "t",
                                                                                logHash: "h1", statement: "Acceptable"), audit: Self.audit("sign"))
            #expect(try await store.latestSafetySignOff(projectID: Self.project.id) == signOff)
            #expect(try await store.catalogueVersion(projectID: Self.project.id) == NSIProductCatalogue.initialVersion)
            try await store.applyCatalogue(projectID: Self.project.id, version: 2, by: "pm", at: "t", audit: Self.audit("catalogue"))
            #expect(try await store.catalogueVersion(projectID: Self.project.id) == 2)
        }
    }
}

private extension String {
    var leftPad16: String { count >= 16 ? String(prefix(16)) : String(repeating: "0", count: 16 - count) + self }
}
