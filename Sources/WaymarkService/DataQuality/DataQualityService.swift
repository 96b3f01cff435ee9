import Foundation
import WaymarkCore
import WaymarkStorage

/// Data-quality checks and migration loads (issue 14, §4.2.6, §4.4.1.2 to §4.4.1.5). An extract
/// is read as a stream by a `DataQualityReader` and dropped; only its counts are saved, with one
/// audit entry that names the counts and nothing else. See docs/design/data-quality.md.
public struct DataQualityService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    /// The largest extract taken: about two million records of identifiers and demographics.
    public static let maximumBytes = 256 * 1024 * 1024
    static let entityType = "data_quality_check"

    /// Checks the project is in scope for the actor first, then lets `read` stream the file into
    /// the reader; an unreadable file records nothing.
    public func check(projectCode: String, as user: ActingUser,
                      read: (inout DataQualityReader) async throws -> Void) async throws -> DataQualityCheck {
        let project = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0.project
        var reader = DataQualityReader()
        let counts: DataQualityCounts
        do {
            try await read(&reader)
            counts = try reader.finish()
        } catch let error as DataQualityError {
            throw ValidationFailure([FieldError(field: "file", message: error.message)])
        }
        let check = DataQualityCheck(projectID: project.id, checkedOn: gate.clock.today, checkedAt: gate.clock.timestamp,
                                     checkedBy: user.name, counts: counts)
        return try await store.saveDataQualityCheck(check, audit: gate.auditRecord(
            "check data quality", entityType: Self.entityType, entityID: 0, after: Self.summary(counts), as: user))
    }

    /// The counts in words, for the audit trail (never a number from the file).
    static func summary(_ c: DataQualityCounts) -> String {
        "\(c.source.rawValue): \(c.records) records, \(c.valid) valid, \(c.invalid) invalid, \(c.missing) missing, \(c.duplicates) duplicates"
    }

    public struct History: Sendable {
        public var project: ProjectListing
        public var checks: [DataQualityCheck]
        public var loads: [MigrationLoad]
    }

    public func history(projectCode: String, as user: ActingUser) async throws -> History {
        let listing = try await gate.project(code: projectCode, as: user).0
        async let checks = store.dataQualityChecks(projectID: listing.project.id)
        async let loads = store.migrationLoads(projectID: listing.project.id)
        return History(project: listing, checks: try await checks, loads: try await loads)
    }

    public func recordLoad(projectCode: String, _ input: NewMigrationLoad, as user: ActingUser) async throws -> MigrationLoad {
        let project = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0.project
        // Every problem at once: what could not be read, then the rules on what could.
        let (load, unreadable) = input.load(projectID: project.id, by: user.name, at: gate.clock.timestamp)
        let errors = unreadable + MigrationLoadRules.check(load, today: gate.clock.today).filter { rule in !unreadable.contains { $0.field == rule.field } }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try await store.saveMigrationLoad(load, audit: gate.auditRecord(
            "record migration load", entityType: "migration_load", entityID: 0,
            after: "\(load.name) on \(load.loadedOn.iso): \(load.migrated) migrated, \(load.verified) verified, \(load.rejected) rejected", as: user))
    }
}

/// A migration load as sent (form or JSON): numbers as text, so each bad one is named.
public struct NewMigrationLoad: Sendable, Hashable {
    public var name: String
    public var loadedOn: String
    public var migrated: String
    public var verified: String
    public var rejected: String

    public init(name: String, loadedOn: String, migrated: String, verified: String, rejected: String) {
        self.name = name
        self.loadedOn = loadedOn
        self.migrated = migrated
        self.verified = verified
        self.rejected = rejected
    }

    public init(form: [String: String]) {
        self.init(name: form["name"] ?? "", loadedOn: form["loadedOn"] ?? "", migrated: form["migrated"] ?? "",
                  verified: form["verified"] ?? "", rejected: form["rejected"] ?? "")
    }

    /// The load as far as it can be read, and the fields that could not be.
    func load(projectID: Int64, by name: String, at timestamp: String) -> (MigrationLoad, [FieldError]) {
        var errors: [FieldError] = []
        func count(_ field: String, _ text: String) -> Int {
            if let value = Int(text.trimmedWhitespace.replacingOccurrences(of: ",", with: "")), value >= 0 { return value }
            errors.append(FieldError(field: field, message: "Give the number of records \(field) as a whole number, 0 or more."))
            return 0
        }
        let day = Day(iso: loadedOn.trimmedWhitespace)
        if day == nil { errors.append(FieldError(field: "loadedOn", message: "Enter the day of the load as YYYY-MM-DD.")) }
        let load = MigrationLoad(projectID: projectID, name: self.name.trimmedWhitespace, loadedOn: day ?? Day(ordinal: 0),
                                 migrated: count("migrated", migrated), verified: count("verified", verified), rejected: count("rejected", rejected),
                                 recordedBy: name, recordedAt: timestamp)
        return (load, errors)
    }
}
