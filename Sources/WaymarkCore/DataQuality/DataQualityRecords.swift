/// A data-quality check as kept (issue 14): when, by whom, and the counts. Dated, so a site shows
/// a trend; it holds no identifier or demographic value.
public struct DataQualityCheck: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectID: Int64
    public var checkedOn: Day
    public var checkedAt: String
    public var checkedBy: String
    public var counts: DataQualityCounts

    public init(id: Int64 = 0, projectID: Int64, checkedOn: Day, checkedAt: String, checkedBy: String, counts: DataQualityCounts) {
        self.id = id
        self.projectID = projectID
        self.checkedOn = checkedOn
        self.checkedAt = checkedAt
        self.checkedBy = checkedBy
        self.counts = counts
    }
}

/// One load of a data migration (§4.4.1.4, §4.4.1.5): how many records went in, how many were
/// verified against the source, and how many were rejected.
public struct MigrationLoad: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectID: Int64
    /// The load's name as the migration plan calls it ("Trial load 2", "Live load").
    public var name: String
    public var loadedOn: Day
    public var migrated: Int
    public var verified: Int
    public var rejected: Int
    public var recordedBy: String
    public var recordedAt: String

    public init(id: Int64 = 0, projectID: Int64, name: String, loadedOn: Day, migrated: Int, verified: Int, rejected: Int,
                recordedBy: String, recordedAt: String) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.loadedOn = loadedOn
        self.migrated = migrated
        self.verified = verified
        self.rejected = rejected
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// The rules for a migration load, keyed by field.
public enum MigrationLoadRules {
    /// More records than any English care record system holds.
    public static let maximumRecords = 1_000_000_000

    public static func check(_ load: MigrationLoad, today: Day) -> [FieldError] {
        var errors: [FieldError] = []
        let name = load.name.trimmedWhitespace
        if name.isEmpty || name.count > 120 {
            errors.append(FieldError(field: "name", message: "Name the load (up to 120 characters), for example Trial load 2."))
        }
        if load.loadedOn > today {
            errors.append(FieldError(field: "loadedOn", message: "A load is recorded once it has run; \(load.loadedOn.iso) is after today (\(today.iso))."))
        }
        for (field, value) in [("migrated", load.migrated), ("verified", load.verified), ("rejected", load.rejected)] where !(0...maximumRecords).contains(value) {
            errors.append(FieldError(field: field, message: "Give the number of records \(field) as a whole number from 0 to \(maximumRecords)."))
        }
        if load.verified > load.migrated {
            errors.append(FieldError(field: "verified", message: "No more records can be verified (\(load.verified)) than were migrated (\(load.migrated))."))
        }
        return errors
    }
}
