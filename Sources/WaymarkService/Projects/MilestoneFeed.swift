import WaymarkCore
import WaymarkStorage

/// iCalendar (RFC 5545) feeds of NSI milestones: one all-day event per milestone on its actual
/// date when achieved, else its forecast. Built from scoped reads only.
public enum MilestoneFeed {
    public static func calendar(name: String, listings: [ProjectListing], stamp: String) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Waymark//NSI milestones//EN", "CALSCALE:GREGORIAN",
                     "X-WR-CALNAME:\(escape(name))"]
        let dtstamp = stamp.filter { $0.isNumber || $0 == "T" }.prefix(15) + "Z"
        for listing in listings {
            let project = listing.project
            for milestone in project.milestones {
                guard let date = milestone.actual ?? milestone.forecast else { continue }
                let state = milestone.actual != nil ? "achieved" : "forecast"
                let description = "\(listing.organisationName), \(project.productCode) (\(project.type.title)). "
                    + "Baseline \(milestone.baseline?.iso ?? "none"), forecast \(milestone.forecast?.iso ?? "none"), actual \(milestone.actual?.iso ?? "none")."
                lines += [
                    "BEGIN:VEVENT",
                    "UID:\(project.code)-\(milestone.kind.rawValue)@waymark",
                    "DTSTAMP:\(dtstamp)",
                    "DTSTART;VALUE=DATE:\(date.iso.filter(\.isNumber))",
                    "DTEND;VALUE=DATE:\(date.adding(days: 1).iso.filter(\.isNumber))",
                    "SUMMARY:\(escape("\(project.code): \(milestone.kind.title) (\(state))"))",
                    "DESCRIPTION:\(escape(description))",
                    "END:VEVENT",
                ]
            }
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next line after a space (§3.1).
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += size
        }
        return result
    }
}

extension ProgrammeService {
    /// The feed for one project (`projectCode`) or an organisation's subtree, scoped to the actor.
    /// An organisation's feed carries at most `limit` projects.
    public func milestoneFeed(projectCode: String? = nil, organisationCode: String? = nil, limit: Int = 2_000,
                              as user: ActingUser) async throws -> String {
        if let projectCode {
            let listing = try await scopedProject(code: projectCode, for: .exportRecords, as: user)
            return MilestoneFeed.calendar(name: "\(listing.project.code) milestones", listings: [listing], stamp: clock.timestamp)
        }
        let organisation = try await organisation(code: organisationCode, as: user)
        var listings: [ProjectListing] = []
        var query = ProjectQuery(within: organisation.kind == .national ? nil : organisation, limit: 500)
        repeat {
            let page = try await exportPage(query, as: user)
            listings += page.items
            query.after = page.nextCursor
        } while query.after != nil && listings.count < limit
        return MilestoneFeed.calendar(name: "\(organisation.name) milestones", listings: Array(listings.prefix(limit)), stamp: clock.timestamp)
    }
}
