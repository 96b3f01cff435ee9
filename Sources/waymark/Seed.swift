import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load generated programme data into a new, empty database.",
        discussion: """
            --demo sets up a browsable programme through the services (suppliers, an ODS import of the
            five 2005 clusters, 28 SHAs and 56 LHCs with their trusts and sites, supplier contracts,
            roll-outs in waves, a DIP) and loads its generated project history.
            --scale england loads the national scale: about 10,000 sites and 60,000 projects.
            Loading is all or nothing, and refuses a database that already holds data.
            """)

    @Flag(help: "Load the demo programme.") var demo = false
    @Option(help: ArgumentHelp("Load a dataset at scale: england.", valueName: "scale")) var scale: String?
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard demo != (scale != nil) else { throw ValidationError("Give exactly one of --demo or --scale england.") }
        if let scale, scale != "england" { throw ValidationError("Unknown scale '\(scale)'; the only scale is 'england'.") }
    }

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        if demo {
            guard let lines = try await DemoSeed.run(into: store) else {
                throw StorageError(.notEmpty, "The database already holds organisations; seed into a new, empty database.")
            }
            for line in lines { print(line) }
            return
        }
        print(try await Self.load(.england, into: store, label: scale ?? "england"))
    }

    /// Documents from the templates, gates and hazards for projects at every gate state.
    static func demoDocuments(into store: any WaymarkStore) async throws -> String {
        let projects = try await DemoDocuments.populate(programme: ProgrammeService(store: store))
        return "Drafted, approved and gated NSI documents for \(projects) demo projects at every stage-gate state."
    }

    /// Generates and loads a dataset with a progress bar; returns a one-line summary.
    static func load(_ scale: DatasetScale, into store: any WaymarkStore, label: String, seed: String? = nil) async throws -> String {
        let started = Date()
        var generator = ProgrammeGenerator(scale: scale, today: today)
        let dataset = generator.generate()
        let bar = ProgressBar("Seeding \(label)")
        try await store.load(dataset, seed: seed) { done, total in bar.update(done, total) }
        bar.finish()
        return "Loaded \(dataset.organisations.count.formatted()) organisations, \(dataset.projects.count.formatted()) projects, "
            + "\(dataset.milestoneCount.formatted()) milestones and \(dataset.tracking.count.formatted()) risks and issues "
            + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
    }
}

/// The demo, all or nothing: its first write records the seed as started, and
/// the seed is marked complete only after the demo documents. A database where an earlier demo
/// seed stopped part way (a crash, a kill) is discarded and seeded again, so a later start
/// always ends with the whole demo.
enum DemoSeed {
    static let name = "demo"

    /// Lines to print once the demo is seeded; nil when the database already holds data that is
    /// not a partial demo (a complete demo, or anything else), which is left as it is.
    static func run(into store: any WaymarkStore) async throws -> [String]? {
        var lines: [String] = []
        switch try await store.seedState(name) {
        case .complete:
            return nil
        case .partial:
            lines.append("An earlier demo seed stopped part way; discarding it and seeding the demo again.")
            try await store.discardPartialSeed(name)
        case nil:
            guard try await store.isEmpty() else { return nil }
        }
        let bar = ProgressBar("Seeding demo")
        lines.append(try await DemoProgramme.build(into: store, seed: name, today: today) { done, total in bar.update(done, total) })
        bar.finish()
        lines.append(try await Seed.demoDocuments(into: store))
        lines.append(try await DemoSetUp.run(programme: ProgrammeService(store: store)))
        lines.append(try await DemoDataQuality.run(programme: ProgrammeService(store: store)))
        lines.append(try await DemoReadiness.run(programme: ProgrammeService(store: store)))
        try await store.markSeedComplete(name)
        return lines
    }
}
