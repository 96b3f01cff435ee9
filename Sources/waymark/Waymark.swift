import ArgumentParser

struct Waymark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "Implementation management for staged national roll-outs of health IT (NHS NSI stages 0-5).",
        discussion: """
            Waymark stores organisations, implementation projects and their NSI reporting milestones,
            and serves a web app and a JSON API with live roll-ups from each site to the whole nation.

            The database is SQLite by default (sqlite:waymark.sqlite). Give another with --database or
            the WAYMARK_DATABASE_URL environment variable: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB.
            """,
        subcommands: [Serve.self, Migrate.self, Seed.self, Organisations.self, RollOutCommand.self, DataQualityCommand.self, Users.self, Tokens.self, StaffCommand.self, TrainingCommand.self, Import.self, Export.self, CalendarCommand.self, Verify.self, Bench.self])
}

/// The database option every command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Database URL: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB. Default: $WAYMARK_DATABASE_URL, else sqlite:waymark.sqlite.",
        valueName: "url"))
    var database: String?

    var url: String { database ?? Environment.value("WAYMARK_DATABASE_URL") ?? "sqlite:waymark.sqlite" }
}

/// Parses and runs a command, as `AsyncParsableCommand.main()` does; main.swift calls it after
/// choosing the executor.
enum WaymarkEntry {
    static func run() async {
        do {
            var command = try Waymark.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Waymark.exit(withError: error)
        }
    }
}
