import WaymarkCore

/// The one input for adding or editing a staff record, as sent: a form and a JSON body are two
/// adapters onto it. Organisations are given by code; other sites as a list of codes.
public struct StaffChange: Sendable, Hashable {
    public var name: String?
    public var staffNumber: String?
    public var organisation: String?
    public var jobRole: String?
    public var site: String?
    public var otherSites: [String]
    public var waymarkUser: String?
    /// The version the sender read; required when editing.
    public var expectedVersion: Int?

    public init(name: String? = nil, staffNumber: String? = nil, organisation: String? = nil, jobRole: String? = nil, site: String? = nil,
                otherSites: [String] = [], waymarkUser: String? = nil, expectedVersion: Int? = nil) {
        self.name = name
        self.staffNumber = staffNumber
        self.organisation = organisation
        self.jobRole = jobRole
        self.site = site
        self.otherSites = otherSites
        self.waymarkUser = waymarkUser
        self.expectedVersion = expectedVersion
    }

    /// From a form: other sites as codes separated by commas, spaces or new lines.
    public init(form: [String: String]) {
        self.init(name: form["name"], staffNumber: form["staffNumber"], organisation: form["organisation"], jobRole: form["jobRole"],
                  site: form["site"], otherSites: (form["otherSites"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init),
                  waymarkUser: form["waymarkUser"], expectedVersion: form["version"].flatMap { Int($0) })
    }

    /// The person these fields describe, given the organisations they name, or every problem.
    func person(_ organisations: [String: Organisation], catalogue: RBACCatalogue = .latest) throws(ValidationFailure) -> StaffMember {
        var errors: [FieldError] = []
        let name = StaffRules.name(name ?? "")
        if name == nil { errors.append(FieldError(field: "name", message: StaffRules.nameRule)) }
        let number = StaffRules.staffNumber(staffNumber ?? "")
        if number == nil { errors.append(FieldError(field: "staffNumber", message: StaffRules.staffNumberRule)) }
        let role = catalogue.jobRole(jobRole ?? "")
        if role == nil { errors.append(FieldError(field: "jobRole", message: StaffRules.jobRoleRule(catalogue))) }
        let employer = organisations[(organisation ?? "").trimmedWhitespace.uppercased()]
        if employer == nil {
            errors.append(FieldError(field: "organisation", message: "Give the code of the employing trust or site; '\((organisation ?? "").prefix(20))' is not one you can reach."))
        } else if let refusal = PeopleRules.employerRefusal(employer!) {
            errors.append(FieldError(field: "organisation", message: refusal))
        }
        var sites: [Int64] = []
        for (field, code) in [("site", site ?? "")] + otherSites.map({ ("otherSites", $0) }) {
            guard let found = organisations[code.trimmedWhitespace.uppercased()] else {
                errors.append(FieldError(field: field, message: "There is no site '\(code.prefix(20))' that you can reach."))
                continue
            }
            if let employer, let refusal = PeopleRules.siteRefusal(found, employer: employer) {
                errors.append(FieldError(field: field, message: refusal))
            } else if !sites.contains(found.id) {
                sites.append(found.id)
            }
        }
        let user = (waymarkUser ?? "").trimmedWhitespace.lowercased()
        if !user.isEmpty && UserAccount.normalisedUsername(user) == nil {
            errors.append(FieldError(field: "waymarkUser", message: "Give the person's Waymark username, or leave it blank."))
        }
        guard errors.isEmpty, let name, let number, let role, let employer, let main = sites.first else { throw ValidationFailure(errors) }
        return StaffMember(staffNumber: number, name: name, organisationID: employer.id, jobRole: role.code, mainSiteID: main,
                           otherSiteIDs: Array(sites.dropFirst()), waymarkUser: user.isEmpty ? nil : user)
    }
}
