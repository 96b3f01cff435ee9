/// A versioned recipe for rolling one product out to many sites (issue 13): the project type,
/// each mandatory milestone's baseline as working days from the wave start, the NSI catalogue
/// version and its mandatory documents, and optionally a plan skeleton. See docs/design/roll-out.md.
public struct RollOutTemplate: Hashable, Sendable, Codable {
    public var id: Int64
    /// Stable across versions ("CRS-GP").
    public var code: String
    public var version: Int
    public var name: String
    public var productCode: String
    public var type: ProjectType
    /// Working days from the wave start, per milestone.
    public var offsets: [MilestoneKind: Int]
    public var catalogueVersion: Int
    /// NSI product codes the template requires.
    public var documents: [String]
    /// Task names of the plan skeleton, in order.
    public var planTasks: [String]

    public init(id: Int64 = 0, code: String, version: Int = 1, name: String, productCode: String, type: ProjectType,
                offsets: [MilestoneKind: Int], catalogueVersion: Int, documents: [String] = [], planTasks: [String] = []) {
        self.id = id
        self.code = code
        self.version = version
        self.name = name
        self.productCode = productCode
        self.type = type
        self.offsets = offsets
        self.catalogueVersion = catalogueVersion
        self.documents = documents
        self.planTasks = planTasks
    }

    /// The baselines of a project whose wave starts on `start`.
    public func baselines(from start: Day, calendar: WorkingCalendar) -> [MilestoneKind: Day] {
        offsets.reduce(into: [:]) { $0[$1.key] = calendar.adding(workingDays: $1.value, to: start) }
    }
}

/// One wave of a roll-out: it starts on a day and takes up to `perWeek` sites a week until
/// the next wave starts; the last wave takes the rest.
public struct RollOutWave: Hashable, Sendable, Codable {
    public var start: Day
    public var perWeek: Int
    public init(start: Day, perWeek: Int) {
        self.start = start
        self.perWeek = perWeek
    }
}
