/// What an Operational Readiness Report says about its inputs, and what changed between two
/// readings of them. A Board may sign a report only while its inputs still read the same.
public enum ReadinessReportRules {
    /// The share of valid NHS Numbers below which data quality is a concern (per mille).
    public static let validNumbersWanted = 990

    /// Why the site may not be ready, in words; empty when nothing stands in the way.
    public static func concerns(_ inputs: ReadinessInputs) -> [String] {
        var concerns: [String] = []
        let unanswered = inputs.surveys.filter { $0.overall == nil && $0.version == 0 }.map(\.kind.title)
        if !unanswered.isEmpty {
            concerns.append("\(count(unanswered.count, "survey")) not answered: \(unanswered.joined(separator: ", ")).")
        }
        for survey in inputs.surveys where survey.version > 0 {
            let title = survey.kind.title
            if survey.overall == .notReady { concerns.append("The \(title) is rated not ready.") }
            if !survey.openFindings.isEmpty {
                concerns.append("The \(title) has \(count(survey.openFindings.count, "open finding")) with no action, risk or issue.")
            }
            if survey.overall != nil && !survey.signedOff { concerns.append("The \(title) is not signed off at its current version.") }
        }
        for kind in TrackingKind.allCases {
            let showstoppers = inputs.open(kind, .showstopper)
            if showstoppers > 0 { concerns.append("\(count(showstoppers, "showstopper \(kind.rawValue)")) open.") }
        }
        if !inputs.safety.isMet {
            concerns.append(inputs.safety.signedBy == nil
                ? "\(count(inputs.safety.blocking.count, "hazard")) above an acceptable residual rating and no safety case sign-off."
                : "The hazard log changed after the Clinical Safety Officer signed the safety case.")
        }
        if let latest = inputs.dataQuality.last {
            if latest.validPerMille < validNumbersWanted {
                concerns.append("The latest data-quality check (\(latest.checkedOn.iso)) found \(percent(latest.validPerMille)) valid NHS Numbers; \(percent(validNumbersWanted)) are wanted.")
            }
        } else {
            concerns.append("No data-quality check has been recorded.")
        }
        if let migration = inputs.migration, migration.rejected > 0 {
            concerns.append("\(count(migration.rejected, "record")) rejected across \(count(migration.loads, "migration load")).")
        }
        if let problem = inputs.criticalPath.problem { concerns.append(problem) }
        return concerns
    }

    /// What differs between the inputs a report was generated from (`old`) and the inputs now.
    public static func changes(from old: ReadinessInputs, to new: ReadinessInputs) -> [String] {
        var changes: [String] = []
        func note<T: Equatable>(_ what: String, _ a: T, _ b: T, _ show: (T) -> String) {
            if a != b { changes.append("\(what): \(show(a)) → \(show(b))") }
        }
        note("Go-Live Completed forecast", old.goLiveForecast, new.goLiveForecast) { $0?.iso ?? "none" }
        let oldSurveys = Dictionary(uniqueKeysWithValues: old.surveys.map { ($0.kind, $0) })
        for survey in new.surveys {
            let before = oldSurveys[survey.kind]
            let title = survey.kind.title
            note(title, before?.overall, survey.overall) { $0?.title.lowercased() ?? "not answered" }
            note("\(title) version", before?.version ?? 0, survey.version) { String($0) }
            note("\(title) sign-off", before?.signedOff ?? false, survey.signedOff) { $0 ? "signed off" : "not signed off" }
            note("\(title) open findings", before?.openFindings.count ?? 0, survey.openFindings.count) { String($0) }
        }
        for kind in TrackingKind.allCases {
            for priority in RiskPriority.allCases {
                note("Open \(priority.title.lowercased()) \(kind.rawValue)s", old.open(kind, priority), new.open(kind, priority)) { String($0) }
            }
        }
        let wasSerious = Set(old.serious.map(\.reference)), isSerious = Set(new.serious.map(\.reference))
        for item in new.serious where !wasSerious.contains(item.reference) {
            changes.append("\(item.reference) \(item.title) is now open at \(item.priority.title.lowercased())")
        }
        for item in old.serious where !isSerious.contains(item.reference) {
            changes.append("\(item.reference) \(item.title) is no longer open at \(item.priority.title.lowercased())")
        }
        note("Open hazards", old.safety.openHazards, new.safety.openHazards) { String($0) }
        note("Hazards above acceptable", old.safety.blocking, new.safety.blocking) { $0.isEmpty ? "none" : $0.joined(separator: ", ") }
        note("Safety case sign-off", signature(old.safety), signature(new.safety)) { $0 }
        note("Data-quality checks", old.dataQuality.count, new.dataQuality.count) { String($0) }
        if old.dataQuality.count == new.dataQuality.count, old.dataQuality != new.dataQuality {
            changes.append("Data-quality check results changed")
        }
        note("Migration loads", old.migration, new.migration) { m in
            m.map { "\(count($0.loads, "load")), \($0.migrated) migrated, \($0.verified) verified, \($0.rejected) rejected" } ?? "none"
        }
        note("Plan go-live date", old.criticalPath.goLive, new.criticalPath.goLive) { $0?.iso ?? "none" }
        note("Plan", old.criticalPath.problem, new.criticalPath.problem) { $0 ?? "scheduled" }
        if old.criticalPath.tasks != new.criticalPath.tasks || old.criticalPath.more != new.criticalPath.more {
            changes.append("The critical path to go-live changed")
        }
        note("Registration and training", old.training, new.training) { $0 ?? "not recorded" }
        return changes
    }

    static func signature(_ safety: ReadinessInputs.Safety) -> String {
        guard let by = safety.signedBy else { return "none" }
        return "\(by) on \(safety.signedAt ?? "?")\(safety.signOffCurrent ? "" : " (stale)")"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// 987 per mille as "98.7%".
    public static func percent(_ perMille: Int) -> String { "\(perMille / 10).\(perMille % 10)%" }
}
