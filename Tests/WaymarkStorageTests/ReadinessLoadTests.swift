import Foundation
import Testing
import WaymarkCore
@_spi(Bench) import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: generated readiness and the going-live query")
struct ReadinessLoadTests {
    /// The demo programme with the readiness records England gets.
    static let dataset: ProgrammeDataset = {
        var scale = DatasetScale.demo
        scale.readiness = true
        var generator = ProgrammeGenerator(scale: scale, today: Fixture.today)
        return generator.generate()
    }()

    @Test("readiness records load on both backends; each report hashes to its stored hash; the going-live query reads their facts",
          arguments: Backend.testable)
    func loadAndRead(backend: Backend) async throws {
        let dataset = Self.dataset
        let readiness = dataset.readiness
        #expect(!readiness.surveys.isEmpty && !readiness.checklists.isEmpty && !readiness.dataQuality.isEmpty && !readiness.reports.isEmpty)
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store = scratch.store
            try await store.load(dataset, seed: nil, progress: nil)
            #expect(try await scratch.count("survey_response") == Int64(readiness.surveys.count))
            #expect(try await scratch.count("go_live_checklist") == Int64(readiness.checklists.count))
            #expect(try await scratch.count("readiness_report") == Int64(readiness.reports.count))
            for record in try await store.readinessReports(projectID: readiness.reports[0].projectID) {
                #expect(ReadinessSnapshot.hash(Data(record.snapshot.utf8)) == record.hash)
                #expect(try ReadinessSnapshot.decode(record.snapshot).inputs == readiness.reports[0].inputs)
            }

            let national = try #require(dataset.organisations.first { $0.kind == .national })
            let rows = try await store.goingLive(within: national, scope: .national, from: Fixture.today, to: Fixture.today.adding(days: 120),
                                                 product: nil, supplierID: nil)
            #expect(!rows.isEmpty)
            #expect(rows.map(\.goLive) == rows.map(\.goLive).sorted())
            // Each row's facts match the generated records for its project.
            for row in rows.prefix(50) {
                let surveys = readiness.surveys.filter { $0.projectID == row.projectID }
                let lists = readiness.checklists.filter { $0.projectID == row.projectID }
                #expect(row.facts.surveysAnswered == surveys.count)
                #expect(row.facts.surveysNotReady == surveys.count { $0.overall == .notReady })
                #expect(row.facts.checklists == lists.count && row.facts.checklistsSignedOff == lists.count(where: \.isComplete))
                #expect(row.facts.signedReport == readiness.reports.contains { $0.projectID == row.projectID && $0.isSigned })
                #expect(row.facts.validPerMille == readiness.dataQuality.last { $0.projectID == row.projectID }?.counts.validPerMille)
            }
            let product = rows[0].productCode
            let filtered = try await store.goingLive(within: national, scope: .national, from: Fixture.today, to: Fixture.today.adding(days: 120),
                                                     product: product, supplierID: nil)
            #expect(filtered.allSatisfy { $0.productCode == product } && filtered.count == rows.count { $0.productCode == product })
            // A trust's scope sees only its own projects.
            let trust = try #require(dataset.organisations.first { $0.id == dataset.projects.first { p in rows.contains { $0.projectID == p.id } }?.ancestry.trustID })
            let scoped = try await store.goingLive(within: national, scope: .subtree(kind: .trust, id: trust.id), from: Fixture.today, to: Fixture.today.adding(days: 120),
                                                   product: nil, supplierID: nil)
            let trustProjects = Set(dataset.projects.filter { $0.ancestry.trustID == trust.id }.map(\.id))
            #expect(!scoped.isEmpty && scoped.allSatisfy { trustProjects.contains($0.projectID) })
        }
    }
}
