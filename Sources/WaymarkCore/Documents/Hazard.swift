/// The clinical risk matrix of DCB0129/DCB0160 (DOMAIN.md §11): severity × likelihood gives a
/// rating from 1 (acceptable) to 5 (unacceptable).
public enum HazardSeverity: Int, CaseIterable, Sendable, Codable, Comparable {
    case minor = 1, significant, considerable, major, catastrophic

    public var title: String {
        switch self {
        case .minor: "Minor"
        case .significant: "Significant"
        case .considerable: "Considerable"
        case .major: "Major"
        case .catastrophic: "Catastrophic"
        }
    }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public enum HazardLikelihood: Int, CaseIterable, Sendable, Codable, Comparable {
    case veryLow = 1, low, medium, high, veryHigh

    public var title: String {
        switch self {
        case .veryLow: "Very low"
        case .low: "Low"
        case .medium: "Medium"
        case .high: "High"
        case .veryHigh: "Very high"
        }
    }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public struct ClinicalRiskRating: Hashable, Sendable, Comparable {
    public var value: Int

    /// The DCB0129 matrix, rows by likelihood (very low first), columns by severity.
    static let matrix: [[Int]] = [
        [1, 1, 2, 2, 3],
        [1, 2, 2, 3, 4],
        [2, 2, 3, 3, 4],
        [2, 3, 3, 4, 5],
        [3, 4, 4, 5, 5],
    ]

    public init(severity: HazardSeverity, likelihood: HazardLikelihood) {
        value = Self.matrix[likelihood.rawValue - 1][severity.rawValue - 1]
    }

    /// Ratings 1 and 2 are acceptable without further action; 3 needs the Clinical Safety
    /// Officer's agreement; 4 and 5 are unacceptable.
    public static let highestAcceptable = 2
    public var isAcceptable: Bool { value <= Self.highestAcceptable }

    public var title: String {
        switch value {
        case 1: "1 Acceptable"
        case 2: "2 Acceptable (further reduction not practicable)"
        case 3: "3 Undesirable"
        case 4: "4 Unacceptable"
        default: "5 Unacceptable"
        }
    }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
}

public enum HazardStatus: String, CaseIterable, Sendable, Codable {
    case open
    /// Controls in place and verified; residual risk accepted.
    case closed
    /// No longer applies to the deployment.
    case withdrawn

    public var title: String { self == .open ? "Open" : self == .closed ? "Closed" : "Withdrawn" }
}

/// A control that reduces a hazard, with the test that shows it works.
public struct HazardControl: Hashable, Sendable, Codable {
    public var description: String
    public var verification: String
    public var verified: Bool

    public init(description: String, verification: String, verified: Bool = false) {
        self.description = description
        self.verification = verification
        self.verified = verified
    }
}

/// One entry in a project's hazard log.
public struct Hazard: Hashable, Sendable {
    public var id: Int64
    public var owner: DocumentOwner
    public var title: String
    public var cause: String
    public var effect: String
    public var harm: String
    public var initialSeverity: HazardSeverity
    public var initialLikelihood: HazardLikelihood
    public var controls: [HazardControl]
    public var residualSeverity: HazardSeverity
    public var residualLikelihood: HazardLikelihood
    public var status: HazardStatus
    public var version: Int

    public init(id: Int64 = 0, owner: DocumentOwner, title: String, cause: String, effect: String, harm: String,
                initialSeverity: HazardSeverity, initialLikelihood: HazardLikelihood, controls: [HazardControl],
                residualSeverity: HazardSeverity, residualLikelihood: HazardLikelihood, status: HazardStatus = .open, version: Int = 1) {
        self.id = id
        self.owner = owner
        self.title = title
        self.cause = cause
        self.effect = effect
        self.harm = harm
        self.initialSeverity = initialSeverity
        self.initialLikelihood = initialLikelihood
        self.controls = controls
        self.residualSeverity = residualSeverity
        self.residualLikelihood = residualLikelihood
        self.status = status
        self.version = version
    }

    public var initialRating: ClinicalRiskRating { ClinicalRiskRating(severity: initialSeverity, likelihood: initialLikelihood) }
    public var residualRating: ClinicalRiskRating { ClinicalRiskRating(severity: residualSeverity, likelihood: residualLikelihood) }
    /// Open with a residual rating above acceptable: blocks Go Live until the CSO signs the safety case.
    public var blocksGoLive: Bool { status == .open && !residualRating.isAcceptable }

    /// "HAZ-0042".
    public static func reference(id: Int64) -> String {
        let digits = String(id)
        return "HAZ-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
    public var reference: String { Self.reference(id: id) }

    /// The fields people can change, in a stable text form: the safety case's sign-off hashes
    /// the log through this, so any later change to a hazard makes the sign-off stale.
    public var fingerprint: String {
        let controlText = controls.map { "\($0.description)|\($0.verification)|\($0.verified)" }.joined(separator: ";")
        return [String(id), title, cause, effect, harm, String(initialSeverity.rawValue), String(initialLikelihood.rawValue),
                controlText, String(residualSeverity.rawValue), String(residualLikelihood.rawValue), status.rawValue]
            .joined(separator: "\u{1F}")
    }

    /// Everything a hazard must have, as field errors.
    public static func validate(_ h: Hazard) -> [FieldError] {
        var errors: [FieldError] = []
        func required(_ value: String, _ field: String, _ what: String, max: Int) {
            if value.trimmedWhitespace.isEmpty { errors.append(FieldError(field: field, message: "Describe the \(what).")) }
            else if value.count > max { errors.append(FieldError(field: field, message: "The \(what) can be at most \(max) characters.")) }
        }
        required(h.title, "title", "hazard (a short title)", max: 200)
        required(h.cause, "cause", "cause", max: 2000)
        required(h.effect, "effect", "effect", max: 2000)
        required(h.harm, "harm", "potential harm to patients", max: 2000)
        for (i, control) in h.controls.enumerated() {
            if control.description.trimmedWhitespace.isEmpty || control.verification.trimmedWhitespace.isEmpty {
                errors.append(FieldError(field: "controls", message: "Control \(i + 1) needs both what it does and the test that verifies it."))
            }
        }
        if h.residualRating > h.initialRating {
            errors.append(FieldError(field: "residualSeverity", message: "The residual rating cannot be worse than the initial rating; controls reduce risk."))
        }
        if h.status == .closed, h.controls.contains(where: { !$0.verified }) {
            errors.append(FieldError(field: "status", message: "A hazard can be closed only when every control's test has verified it."))
        }
        return errors
    }
}

/// The Clinical Safety Officer's signature on the safety case for Go Live: it covers the hazard
/// log exactly as it stood (`logHash`), so a later change to any hazard makes it stale.
public struct SafetyCaseSignOff: Hashable, Sendable {
    public var id: Int64
    public var projectID: Int64
    public var signedBy: String
    public var signedAt: String
    public var logHash: String
    public var statement: String

    public init(id: Int64 = 0, projectID: Int64, signedBy: String, signedAt: String, logHash: String, statement: String) {
        self.id = id
        self.projectID = projectID
        self.signedBy = signedBy
        self.signedAt = signedAt
        self.logHash = logHash
        self.statement = statement
    }
}
