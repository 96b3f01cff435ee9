/// A record's project, with the project's place in the hierarchy and its supplier copied onto
/// the record, so scope and subtree filters are one condition (lessons, documents, gates, hazards).
public struct ProjectPlace: Hashable, Sendable {
    public var projectID: Int64
    public var projectCode: String
    public var organisationID: Int64
    public var ancestry: Ancestry
    public var supplierID: Int64?

    public init(projectID: Int64, projectCode: String, organisationID: Int64, ancestry: Ancestry, supplierID: Int64?) {
        self.projectID = projectID
        self.projectCode = projectCode
        self.organisationID = organisationID
        self.ancestry = ancestry
        self.supplierID = supplierID
    }

    public static func project(_ project: ImplementationProject) -> ProjectPlace {
        ProjectPlace(projectID: project.id, projectCode: project.code, organisationID: project.organisationID,
                     ancestry: project.ancestry, supplierID: project.supplierID)
    }
}
