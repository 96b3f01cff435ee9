/// Whether a project is still running. Closed (stage 5 done) and cancelled projects leave the
/// live roll-ups but keep their history, exports and audit trail (issue 13).
public enum ProjectState: String, CaseIterable, Sendable, Codable {
    case live, closed, cancelled

    public var title: String {
        switch self {
        case .live: "Live"
        case .closed: "Closed"
        case .cancelled: "Cancelled"
        }
    }
}
