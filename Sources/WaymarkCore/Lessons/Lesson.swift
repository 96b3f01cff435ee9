/// A lesson learned (DOMAIN.md §7, guide §4.6.3): what happened on one project at one stage,
/// and what others should do about it. Lessons are shared programme-wide; the national office
/// may promote one to guidance.
public struct Lesson: Hashable, Sendable {
    public var id: Int64
    public var stage: NSIStage
    public var area: AreaOfResponsibility
    /// The product it concerns (`ProductCatalogue` code), usually the source project's own.
    public var productCode: String
    public var title: String
    public var whatHappened: String
    public var recommendation: String
    /// Normalised by `LessonRules.normalisedTags`: lowercase words joined by hyphens.
    public var tags: [String]
    public var source: LessonSource
    /// The user who recorded it (their username, or a person's name in generated data).
    public var recordedBy: String
    public var recordedOn: Day
    /// Set once the national office has made the lesson programme guidance.
    public var promotion: LessonPromotion?
    public var version: Int

    public init(id: Int64 = 0, stage: NSIStage, area: AreaOfResponsibility, productCode: String, title: String,
                whatHappened: String, recommendation: String, tags: [String] = [], source: LessonSource,
                recordedBy: String, recordedOn: Day, promotion: LessonPromotion? = nil, version: Int = 1) {
        self.id = id
        self.stage = stage
        self.area = area
        self.productCode = productCode
        self.title = title
        self.whatHappened = whatHappened
        self.recommendation = recommendation
        self.tags = tags
        self.source = source
        self.recordedBy = recordedBy
        self.recordedOn = recordedOn
        self.promotion = promotion
        self.version = version
    }

    public var isGuidance: Bool { promotion != nil }

    /// "LL-000042".
    public var reference: String { Self.reference(id: id) }

    public static func reference(id: Int64) -> String {
        let digits = String(id)
        return "LL-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The id in "LL-000042", "ll-42" or "42"; nil for anything else.
    public static func id(fromReference text: String) -> Int64? {
        var t = Substring(text.trimmedWhitespace.uppercased())
        if t.hasPrefix("LL-") { t = t.dropFirst(3) }
        guard !t.isEmpty, t.count <= 18, t.allSatisfy(\.isASCII), let id = Int64(t), id > 0 else { return nil }
        return id
    }
}

/// The project a lesson came from.
public typealias LessonSource = ProjectPlace

/// Who made a lesson programme guidance, and when.
public struct LessonPromotion: Hashable, Sendable {
    public var by: String
    public var on: Day
    public init(by: String, on: Day) {
        self.by = by
        self.on = on
    }
}

extension AccessScope {
    /// Whether the lesson's source project is within this scope (lessons themselves are read
    /// programme-wide; this decides only whether the project can be opened).
    public func covers(_ source: LessonSource) -> Bool {
        switch self {
        case .national: true
        case .subtree(let kind, let id): source.ancestry.id(at: kind) == id
        case .supplier(let id): source.supplierID == id
        }
    }
}
