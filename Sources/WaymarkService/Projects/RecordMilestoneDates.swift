import Foundation
import WaymarkCore

/// The one write that records a project's forecast and actual milestone dates. The project
/// page's form and the API's JSON body are two adapters onto it; the text is read here, once,
/// with errors keyed by the form's field names (`forecast.<milestone>`, `actual.<milestone>`).
public struct RecordMilestoneDates: Sendable, Hashable {
    /// One date as sent: absent leaves it as it is, empty text clears it.
    public struct Entry: Sendable, Hashable {
        public var forecast: String?
        public var actual: String?
        public init(forecast: String? = nil, actual: String? = nil) {
            self.forecast = forecast
            self.actual = actual
        }
    }

    public var entries: [MilestoneKind: Entry]
    /// The project version the sender read; nil only where the sender cannot say (never the API).
    public var expectedVersion: Int?
    /// Input that names no date this write can set, reported with the date errors.
    var refusedFields: [String] = []

    public init(entries: [MilestoneKind: Entry], expectedVersion: Int?) {
        self.entries = entries
        self.expectedVersion = expectedVersion
    }

    /// From the API: one milestone's dates.
    public init(milestone: MilestoneKind, forecast: String?, actual: String?, expectedVersion: Int) {
        self.init(entries: [milestone: Entry(forecast: forecast, actual: actual)], expectedVersion: expectedVersion)
    }

    /// From typed dates (the CLI, the bench and tests): each milestone's dates replace the stored ones.
    public init(dates: [MilestoneKind: MilestoneDates], expectedVersion: Int?) {
        self.init(entries: dates.mapValues { Entry(forecast: $0.forecast?.iso ?? "", actual: $0.actual?.iso ?? "") },
                  expectedVersion: expectedVersion)
    }

    /// From the project page's form. Only forecast and actual dates can be set; any other field
    /// (a baseline, an organisation, an approver) is refused, never silently dropped.
    public init(form: [String: String]) {
        self.init(entries: [:], expectedVersion: form["version"].flatMap { Int($0) })
        for (name, text) in form where name != "version" {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = MilestoneKind(rawValue: parts[1]), parts[0] == "forecast" || parts[0] == "actual" else {
                refusedFields.append(name)
                continue
            }
            var entry = entries[kind] ?? Entry()
            if parts[0] == "forecast" { entry.forecast = text } else { entry.actual = text }
            entries[kind] = entry
        }
    }

    /// The dates the project will have: each sent date parsed, the rest as stored.
    func dates(over project: ImplementationProject) throws(ValidationFailure) -> [MilestoneKind: MilestoneDates] {
        var errors = refusedFields.sorted().map {
            FieldError(field: $0, message: "'\($0)' cannot be set from this form: only forecast and actual dates can.")
        }
        var dates: [MilestoneKind: MilestoneDates] = [:]
        for (kind, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let stored = project.milestone(kind)
            func day(_ text: String?, _ part: String, stored: Day?) -> Day? {
                guard let text = text?.trimmingCharacters(in: .whitespaces) else { return stored }
                if text.isEmpty { return nil }
                if let day = Day(iso: text) { return day }
                errors.append(FieldError(field: MilestoneRules.field(part, kind),
                                         message: "Enter the \(kind.title) \(part) date as YYYY-MM-DD, for example 2026-03-31."))
                return stored
            }
            dates[kind] = MilestoneDates(forecast: day(entry.forecast, "forecast", stored: stored?.forecast),
                                         actual: day(entry.actual, "actual", stored: stored?.actual))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return dates
    }
}
