import Foundation
import WaymarkCore

/// A note as entered in the web form or the API, before its affected items are looked up.
/// Parsing problems the caller found (a date that is not a date) travel in `errors`.
public struct ChangeNoteInput: Sendable {
    public struct MilestoneProposal: Sendable, Hashable {
        public var projectCode: String
        public var kind: MilestoneKind
        public var baseline: Day
        public init(projectCode: String, kind: MilestoneKind, baseline: Day) {
            self.projectCode = projectCode
            self.kind = kind
            self.baseline = baseline
        }
    }

    public struct DIPLineReference: Sendable, Hashable {
        public var dipID: Int64
        /// nil: a new line in the DIP.
        public var lineNumber: Int?
        public var proposedDue: Day?
        public init(dipID: Int64, lineNumber: Int?, proposedDue: Day? = nil) {
            self.dipID = dipID
            self.lineNumber = lineNumber
            self.proposedDue = proposedDue
        }
    }

    public var type: ChangeType?
    public var title: String
    public var description: String
    public var reason: String
    public var impact: ChangeImpact
    public var projectCodes: [String]
    public var milestones: [MilestoneProposal]
    public var dipLines: [DIPLineReference]
    /// The cluster, when raising from the national office or a supplier.
    public var clusterCode: String?
    public var errors: [FieldError]

    public init(type: ChangeType?, title: String, description: String, reason: String, impact: ChangeImpact = ChangeImpact(),
                projectCodes: [String] = [], milestones: [MilestoneProposal] = [], dipLines: [DIPLineReference] = [],
                clusterCode: String? = nil, errors: [FieldError] = []) {
        self.type = type
        self.title = title
        self.description = description
        self.reason = reason
        self.impact = impact
        self.projectCodes = projectCodes
        self.milestones = milestones
        self.dipLines = dipLines
        self.clusterCode = clusterCode
        self.errors = errors
    }

    /// Parses the form's list fields: project codes separated by spaces or commas; one
    /// milestone per line as "PROJECT milestone-kind YYYY-MM-DD"; one DIP line per line as
    /// "DIP/LINE" or "DIP/new", optionally followed by a proposed due date.
    public mutating func parseLists(projects: String, milestones: String, dipLines: String) {
        projectCodes = projects.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { String($0).uppercased() }
        for (index, line) in Self.lines(milestones).enumerated() {
            let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard parts.count == 3, let kind = MilestoneKind(rawValue: parts[1].lowercased()), let day = Day(iso: parts[2]) else {
                errors.append(FieldError(field: "milestones", message:
                    "Milestone line \(index + 1) ('\(line)') must read PROJECT-CODE milestone YYYY-MM-DD, e.g. RXY01-CRS go-live-completed 2027-03-01."))
                continue
            }
            self.milestones.append(MilestoneProposal(projectCode: parts[0].uppercased(), kind: kind, baseline: day))
        }
        for (index, line) in Self.lines(dipLines).enumerated() {
            let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let key = parts.first?.split(separator: "/").map(String.init) ?? []
            let due = parts.count == 2 ? Day(iso: parts[1]) : nil
            guard (1...2).contains(parts.count), key.count == 2, let dip = Int64(key[0]), key[1] == "new" || Int(key[1]) != nil,
                  parts.count == 1 || due != nil else {
                errors.append(FieldError(field: "dipLines", message:
                    "DIP line \(index + 1) ('\(line)') must read DIP/LINE or DIP/new, optionally with a proposed due date, e.g. 12/4 2027-01-31."))
                continue
            }
            self.dipLines.append(DIPLineReference(dipID: dip, lineNumber: Int(key[1]), proposedDue: due))
        }
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A note as its audit entries record it.
enum ChangeSnapshot {
    struct Body: Encodable {
        var reference: String
        var state: String
        var type: String
        var title: String
        var projects: [String]
        var milestones: [String]
        var dipLines: [String]
        var assessments: [String]
    }

    static func json(_ note: ChangeControlNote) -> String {
        let body = Body(reference: note.reference, state: note.state.rawValue, type: note.type.rawValue, title: note.title,
                        projects: note.projects.map(\.code),
                        milestones: note.milestones.map { "\($0.projectCode) \($0.kind.rawValue) \($0.proposedBaseline.iso)" },
                        dipLines: note.dipLines.map { "\($0.dipID)/\($0.lineNumber.map(String.init) ?? "new")" },
                        assessments: note.assessments.map { "\($0.discipline.rawValue): \($0.assessor)" })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
