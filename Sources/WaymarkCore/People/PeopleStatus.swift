/// Where one person stands on the way to access (issue 15): the funnel's steps and the flags
/// the roll-ups count. Computed from their records and kept on the staff row, so a roll-up is a
/// sum and never a walk over 800,000 people.
public struct PeopleStatus: Sendable, Hashable {
    public var needsAccess = false
    public var registered = false
    public var cardIssued = false
    public var trained = false
    public var proficient = false
    public var granted = false
    /// Granted without proficiency, by an RA manager's override.
    public var overridden = false
    /// Granted, but a required pass has lapsed or a new course is required: refresher or
    /// top-up training is due. A flag, never a revocation.
    public var refresherDue = false
    /// The day they were first both registered and proficient: the forecast's pace.
    public var readyOn: Day?

    public init() {}

    /// What a person's records say. `required` is what the training needs analysis asks of
    /// their positions (their approved profile, or their job role at their sites).
    public static func of(registration: Registration?, activeCard: Bool, required: Set<String>, results: [TrainingResult],
                          attended: Set<String>, courses: [String: Course], today: Day) -> PeopleStatus {
        var status = PeopleStatus()
        status.needsAccess = !required.isEmpty || registration != nil
        status.registered = (registration?.status ?? .applied) >= .approved
        status.cardIssued = activeCard
        status.granted = registration?.status == .granted
        status.overridden = status.granted && registration?.overrideReason != nil
        guard !required.isEmpty else { return status }
        let completed = Set(results.map(\.courseCode)).union(attended)
        status.trained = required.isSubset(of: completed)
        let missing = Proficiency.missing(required, results: results, courses: courses, today: today)
        status.proficient = missing.isEmpty
        status.refresherDue = status.granted && !missing.isEmpty
        if status.proficient && status.registered, let approved = registration?.approvedOn {
            // The latest of the approval and the first pass in each required course.
            let passes = required.compactMap { code in results.filter { $0.courseCode == code && $0.passed }.map(\.on).min() }
            status.readyOn = ([approved] + passes).max()
        }
        return status
    }
}

/// The registration and training funnel for a site, organisation, project or supplier.
public struct PeopleFunnel: Sendable, Hashable, Codable {
    public var needing = 0
    public var registered = 0
    public var cardIssued = 0
    public var trained = 0
    public var proficient = 0
    public var granted = 0
    public var overridden = 0
    public var refresherDue = 0
    public init() {}

    /// The funnel's steps in order, with their counts.
    public var steps: [(title: String, count: Int)] {
        [("Need access", needing), ("Registered", registered), ("Smartcard issued", cardIssued),
         ("Trained", trained), ("Proficient", proficient), ("Access granted", granted)]
    }

    public static func + (a: PeopleFunnel, b: PeopleFunnel) -> PeopleFunnel {
        var sum = a
        sum.needing += b.needing
        sum.registered += b.registered
        sum.cardIssued += b.cardIssued
        sum.trained += b.trained
        sum.proficient += b.proficient
        sum.granted += b.granted
        sum.overridden += b.overridden
        sum.refresherDue += b.refresherDue
        return sum
    }

    /// One line for the Operational Readiness Report.
    public var summary: String {
        guard needing > 0 else { return "No staff yet need access here." }
        return "\(needing) staff need access: \(registered) registered, \(cardIssued) with a smartcard, \(trained) trained, "
            + "\(proficient) proficient, \(granted) granted access"
            + (overridden > 0 ? " (\(overridden) by override without proficiency)" : "")
            + (refresherDue > 0 ? "; \(refresherDue) due refresher or top-up training" : "") + "."
    }
}

/// "At the last four weeks' pace, will the site have enough proficient, registered users by
/// its Go-Live baseline?" Enough is `targetPercent` of the staff needing access.
public enum PeopleForecast {
    public static let targetPercent = 90
    public static let paceDays = 28

    public struct Site: Sendable, Hashable {
        public var organisationID: Int64
        public var siteName: String
        public var projectCodes: [String]
        public var goLiveBaseline: Day
        public var needing: Int
        public var ready: Int
        /// Became ready in the last four weeks.
        public var recent: Int
        public init(organisationID: Int64, siteName: String, projectCodes: [String], goLiveBaseline: Day, needing: Int, ready: Int, recent: Int) {
            self.organisationID = organisationID
            self.siteName = siteName
            self.projectCodes = projectCodes
            self.goLiveBaseline = goLiveBaseline
            self.needing = needing
            self.ready = ready
            self.recent = recent
        }

        public var target: Int { (needing * PeopleForecast.targetPercent + 99) / 100 }
    }

    public struct Outcome: Sendable, Hashable {
        public var site: Site
        public var forecast: Int
        public var shortfall: Int
        public var willBeReady: Bool { shortfall == 0 }
    }

    public static func outcome(_ site: Site, today: Day) -> Outcome {
        let days = max(0, site.goLiveBaseline.ordinal - today.ordinal)
        let forecast = min(site.needing, site.ready + site.recent * days / paceDays)
        return Outcome(site: site, forecast: forecast, shortfall: max(0, site.target - forecast))
    }
}
