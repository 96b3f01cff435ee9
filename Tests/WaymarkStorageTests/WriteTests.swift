import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: writes")
struct WriteTests {
    static func audit(for project: ImplementationProject, note: String) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00.000Z", actor: "contract test", origin: "tests", action: "record milestone dates",
                    entityType: "project", entityID: project.id, before: #"{"note":"before \#(note)"}"#,
                    after: #"{"note":"after \#(note)", "quote":"it's"}"#)
    }

    /// The dataset with `project` replacing the generated one of the same id.
    static func dataset(with project: ImplementationProject) -> ProgrammeDataset {
        var dataset = Fixture.dataset
        dataset.projects = dataset.projects.map { $0.id == project.id ? project : $0 }
        return dataset
    }

    @Test("saveMilestones saves, bumps the version and writes one audit entry", arguments: Backend.testable)
    func save(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let original = Fixture.project(achieved: 2)
            var updated = original
            updated.milestones[2].actual = Fixture.today
            updated.milestones[2].forecast = Fixture.today
            updated.milestones[2].version += 1
            updated.milestones[3].forecast = Fixture.today.adding(days: 30)
            updated.milestones[3].version += 1
            #expect(updated.stage != original.stage)

            let audit = Self.audit(for: original, note: "first")
            let saved = try await store.saveMilestones(of: updated, expectedVersion: original.version, audit: audit)
            var expected = updated
            expected.version = original.version + 1
            #expect(saved == expected)

            let read = try #require(try await store.project(code: original.code, scope: .national))
            #expect(read.project == expected, "dates, milestone versions and project version persisted")
            // The derived columns (stage, achieved count, late mask) were saved too.
            let atStage = try await store.projects(ProjectQuery(scope: .national, organisationIDs: [original.organisationID], stage: expected.stage))
            #expect(atStage.items.map(\.project.id).contains(original.id))
            let site = try #require(Fixture.organisationsByID[original.organisationID])
            RollUpTests.check(try await store.rollUp(for: site, scope: .national),
                              against: RollUpTests.expected(for: site, in: Self.dataset(with: expected)), "site after save")

            let entries = try await store.auditEntries(entityType: "project", entityID: original.id, limit: 10)
            #expect(entries.count == 1)
            #expect(entries.first?.id != nil)
            var entry = try #require(entries.first)
            entry.id = nil
            #expect(entry == audit)
            #expect(try await scratch.count("audit_entry") == 1)
            #expect(try await store.auditEntries(entityType: "project", entityID: original.id + 1, limit: 10).isEmpty)

            // A second save at the new version succeeds; entries come back newest first, up to the limit.
            var again = expected
            again.milestones[3].forecast = Fixture.today.adding(days: 40)
            again.milestones[3].version += 1
            let secondAudit = Self.audit(for: original, note: "second")
            let savedAgain = try await store.saveMilestones(of: again, expectedVersion: expected.version, audit: secondAudit)
            #expect(savedAgain.version == original.version + 2)
            let both = try await store.auditEntries(entityType: "project", entityID: original.id, limit: 10)
            #expect(both.map(\.after) == [secondAudit.after, audit.after])
            #expect(try await store.auditEntries(entityType: "project", entityID: original.id, limit: 1).map(\.after) == [secondAudit.after])
        }
    }

    @Test("saveMilestones with a stale version is a conflict and changes nothing", arguments: Backend.testable)
    func staleVersion(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let original = Fixture.project(achieved: 1)
            var first = original
            first.milestones[1].forecast = Fixture.today.adding(days: 10)
            first.milestones[1].version += 1
            let saved = try await store.saveMilestones(of: first, expectedVersion: original.version,
                                                       audit: Self.audit(for: original, note: "first"))
            let before = try await scratch.counts()

            var stale = original
            stale.milestones[1].forecast = Fixture.today.adding(days: 99)
            stale.milestones[1].version += 1
            let error = await storageError {
                _ = try await store.saveMilestones(of: stale, expectedVersion: original.version,
                                                   audit: Self.audit(for: original, note: "stale"))
            }
            #expect(error?.code == .conflict)
            #expect(try await store.project(code: original.code, scope: .national)?.project == saved, "milestones and version unchanged")
            #expect(try await scratch.counts() == before, "no audit entry, no other row")
            #expect(try await store.auditEntries(entityType: "project", entityID: original.id, limit: 10).count == 1)

            // A version from the future is as stale as one from the past.
            let ahead = await storageError {
                _ = try await store.saveMilestones(of: stale, expectedVersion: saved.version + 5,
                                                   audit: Self.audit(for: original, note: "ahead"))
            }
            #expect(ahead?.code == .conflict)
            #expect(try await scratch.counts() == before)
        }
    }

    @Test("a statement failing part-way through a save rolls the whole save back", arguments: Backend.testable)
    func saveIsAtomic(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let original = Fixture.project(type: .esp, achieved: 0)
            var broken = original
            broken.milestones[0].forecast = Fixture.today.adding(days: 3)
            // ESP projects have no Local Design milestone row, so its UPDATE matches nothing
            // after the project row and the first milestone have already been updated.
            broken.milestones.append(Milestone(kind: .localDesignCompleted, baseline: nil, forecast: Fixture.today, actual: nil))
            let before = try await scratch.counts()
            await #expect(throws: (any Error).self) {
                _ = try await store.saveMilestones(of: broken, expectedVersion: original.version,
                                                   audit: Self.audit(for: original, note: "broken"))
            }
            #expect(try await store.project(code: original.code, scope: .national)?.project == original)
            #expect(try await scratch.counts() == before)
        }
    }
}

@Suite("Storage contract: through ProgrammeService")
struct ServiceWriteTests {
    let user = ActingUser(name: "pat.manager", scope: .national, grants: Set(Activity.allCases), origin: "tests")

    func service(_ scratch: Scratch) -> ProgrammeService {
        ProgrammeService(store: scratch.store, clock: .fixed(Fixture.today))
    }

    /// Asserts that a rejected write left the project and the audit trail exactly as they were.
    func expectUnchanged(_ scratch: Scratch, _ project: ImplementationProject, counts: [String: Int64],
                         sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await scratch.store.project(code: project.code, scope: .national)?.project == project, sourceLocation: sourceLocation)
        #expect(try await scratch.store.auditEntries(entityType: "project", entityID: project.id, limit: 10).isEmpty,
                sourceLocation: sourceLocation)
        #expect(try await scratch.counts() == counts, sourceLocation: sourceLocation)
    }

    @Test("invalid dates are rejected and change nothing", arguments: Backend.testable)
    func invalidDates(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let service = service(scratch)
            let counts = try await scratch.counts()

            // Achieving a milestone while the one before it is still open.
            let skipping = Fixture.project(achieved: 1)
            let skipped = skipping.milestones[2]
            let outOfOrder = await #expect(throws: ValidationFailure.self) {
                _ = try await service.recordMilestoneDates(projectCode: skipping.code, RecordMilestoneDates(dates: [skipped.kind: MilestoneDates(forecast: skipped.forecast, actual: Fixture.today.adding(days: -1))], expectedVersion: skipping.version), as: user)
            }
            #expect(outOfOrder?.message(for: MilestoneRules.field("actual", skipped.kind)) != nil)
            try await expectUnchanged(scratch, skipping, counts: counts)

            // Achieving a milestone on a date before the previous one was achieved.
            let early = Fixture.project(achieved: 2)
            let previousActual = try #require(early.milestones[1].actual)
            let next = early.milestones[2]
            let beforePrevious = await #expect(throws: ValidationFailure.self) {
                _ = try await service.recordMilestoneDates(projectCode: early.code, RecordMilestoneDates(dates: [next.kind: MilestoneDates(forecast: next.forecast, actual: previousActual.adding(days: -1))], expectedVersion: nil), as: user)
            }
            #expect(beforePrevious?.message(for: MilestoneRules.field("actual", next.kind)) != nil)
            try await expectUnchanged(scratch, early, counts: counts)

            // An actual date in the future.
            let future = Fixture.project(achieved: 0)
            let first = future.milestones[0]
            let inFuture = await #expect(throws: ValidationFailure.self) {
                _ = try await service.recordMilestoneDates(projectCode: future.code, RecordMilestoneDates(dates: [first.kind: MilestoneDates(forecast: first.forecast, actual: Fixture.today.adding(days: 1))], expectedVersion: future.version), as: user)
            }
            #expect(inFuture?.message(for: MilestoneRules.field("actual", first.kind))?.contains("future") == true)
            try await expectUnchanged(scratch, future, counts: counts)
        }
    }

    @Test("unknown projects are notFound; stale versions are refused as stale", arguments: Backend.testable)
    func notFoundAndConflict(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let service = service(scratch)
            let counts = try await scratch.counts()
            let missing = await #expect(throws: ServiceError.self) {
                _ = try await service.recordMilestoneDates(projectCode: "NOPE-N3", RecordMilestoneDates(dates: [:], expectedVersion: nil), as: user)
            }
            #expect(missing?.kind == .notFound)
            #expect(missing?.message.contains("NOPE-N3") == true)

            let project = Fixture.project(achieved: 1)
            let open = project.milestones[1]
            let stale = await #expect(throws: ServiceError.self) {
                _ = try await service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(dates: [open.kind: MilestoneDates(forecast: open.forecast, actual: Fixture.today)], expectedVersion: project.version + 1), as: user)
            }
            #expect(stale?.kind == .staleVersion)
            try await expectUnchanged(scratch, project, counts: counts)
        }
    }

    @Test("a valid recording is saved with one audit entry naming the user", arguments: Backend.testable)
    func validRecording(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let service = service(scratch)
            let project = Fixture.project(achieved: 1)
            let open = project.milestones[1]
            let saved = try await service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(dates: [open.kind: MilestoneDates(forecast: Fixture.today, actual: Fixture.today)], expectedVersion: project.version), as: user)
            #expect(saved.version == project.version + 1)
            #expect(saved.milestones[1].actual == Fixture.today)
            #expect(saved.achievedCount == 2)
            #expect(try await scratch.store.project(code: project.code, scope: .national)?.project == saved)

            let entries = try await scratch.store.auditEntries(entityType: "project", entityID: project.id, limit: 10)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.actor == "pat.manager")
            #expect(entry.origin == "tests")
            #expect(entry.action == "record milestone dates")
            #expect(entry.at.hasPrefix("2026-11-24T12:00:00"))
            #expect(entry.before?.contains(open.kind.rawValue) == true)
            #expect(entry.after?.contains(Fixture.today.iso) == true)
        }
    }
}
