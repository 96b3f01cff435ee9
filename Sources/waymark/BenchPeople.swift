import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
@_spi(Bench) import WaymarkStorage

extension Bench {
    /// Registration and training at national scale (issue 15): the people seed on its own, the
    /// national funnel, an SHA's "sites that will not be ready" forecast and granting access with
    /// its proficiency check, each beside raw SQL in the same run.
    func benchPeople(_ name: String, store: SQLStore, raw: any RawDriver, into report: inout BenchReport) async throws {
        guard let national = try await store.national() else { throw ValidationError("The seeded data has no national programme.") }
        let user = ActingUser.commandLine(origin: "bench")
        let programme = ProgrammeService(store: store, clock: .fixed(today))
        if name == "sqlite" {
            // The people alone: emptied, then generated and loaded again, against the raw inserts.
            var generator = ProgrammeGenerator(scale: .england, today: today)
            let dataset = generator.generate()
            let (statements, _) = SQLStore.statements(loading: SQLStore.peopleLoadTables(dataset.people))
            try await raw.write(SQLStore.peopleTables.map { SQLStatement("DELETE FROM \($0)") })
            let rawLoad = try await time { try await raw.write(statements) }
            try await raw.write(SQLStore.peopleTables.map { SQLStatement("DELETE FROM \($0)") })
            let bar = ProgressBar("[\(name)] people seed")
            let seed = try await time {
                let people = ProgrammeGenerator.people(for: dataset, scale: .england, today: today)
                try await store.loadPeople(people) { bar.update($0, $1) }
            }
            bar.finish()
            report.add(name, "seed England people: \(dataset.people.staff.count.formatted()) staff, \(dataset.people.registrations.count.formatted()) registrations, "
                       + "\(dataset.people.results.count.formatted()) training records (generate + load)", seed, rawLoad, goal: "<= 60 s", pass: seed <= 60)
        }
        let people = PeopleReadinessService(programme: programme)
        let funnel = try await people.funnel(organisationCode: nil, as: user).1
        print("[\(name)] national funnel: \(funnel.summary)")
        let served = try await median(iterations) { _ = try await people.funnel(organisationCode: national.code, as: user) }
        let rawSum = try await median(iterations) { try await raw.fetch(SQLStore.nationalStaffSumSQL, []) }
        let goal = name == "sqlite" ? 0.1 : 0.2
        report.add(name, "national registration and training funnel (median)", served, rawSum, goal: "<= \(Int(goal * 1000)) ms", pass: served <= goal)

        guard let sha = try await store.organisations(OrganisationQuery(scope: .national, kind: .sha, limit: 1)).items.first else { return }
        let (_, outcomes) = try await people.forecast(organisationCode: sha.code, as: user)
        print("[\(name)] \(sha.name): \(outcomes.count(where: { !$0.willBeReady }).formatted()) of \(outcomes.count.formatted()) sites will not be ready")
        let forecast = try await median(iterations) { _ = try await people.forecast(organisationCode: sha.code, as: user) }
        let rawSites = try await median(iterations) {
            try await raw.fetch("SELECT COUNT(*) FROM staff s JOIN organisation o ON o.id = s.site_id WHERE o.sha_id = ?", [.integer(sha.id)])
        }
        report.add(name, "an SHA's sites that will not be ready (median)", forecast, rawSites, goal: "<= 100 ms", pass: forecast <= 0.1)

        // Granting access: people at the card-issued step, each granted once (with its proficiency check).
        // `median` warms up with three runs first.
        let ready = try await store.grantCandidates(limit: iterations + 3)
        guard ready.count == iterations + 3 else { print("[\(name)] too few people ready to grant"); return }
        let registrations = RegistrationService(programme: programme)
        var next = ready.makeIterator()
        let grant = try await median(iterations) {
            let row = next.next()!
            _ = try await registrations.grant(staffID: row.staffID, overrideReason: nil, expectedVersion: row.version, as: user)
        }
        let rawRead = try await median(iterations) { try await raw.fetch("SELECT * FROM registration WHERE staff_id = ?", [.integer(ready[0].staffID)]) }
        report.add(name, "grant access with the proficiency check (median)", grant, rawRead, goal: "<= 5 ms", pass: grant <= 0.005)
    }
}
