import WaymarkCore
import WaymarkStorage

/// CSV per RFC 4180. Cells that a spreadsheet would run as a formula are prefixed with '.
public enum ProjectCSV {
    public static let header = (["project", "organisation_code", "organisation", "product", "type", "stage", "status", "supplier"]
        + MilestoneKind.allCases.flatMap { k in ["baseline", "forecast", "actual"].map { "\(k.rawValue)_\($0)" } })
        .joined(separator: ",")

    public static func row(_ l: ProjectListing, status: RAGStatus) -> String {
        let p = l.project
        var cells = [p.code, l.organisationCode, l.organisationName, p.productCode, p.type.rawValue, String(l.stage.rawValue),
                     status.rawValue, l.supplierName ?? ""]
        for kind in MilestoneKind.allCases {
            let m = p.milestone(kind)
            cells += [m?.baseline?.iso ?? "", m?.forecast?.iso ?? "", m?.actual?.iso ?? ""]
        }
        return cells.map(escape).joined(separator: ",")
    }

    public static func escape(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
