import Foundation
import WaymarkCore
import WaymarkStorage

/// Adding and changing DIP lines. Once a DIP is agreed, every change to an obligation (its
/// timing, place or type, or its removal) names an approved CCN that lists the line.
extension ChangeControlService {
    public func addLine(organisationCode: String, dipID: Int64, _ input: LineInput, as user: ActingUser) async throws -> DIPLine {
        let (_, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .manageDIP, as: user)
        var errors = input.errors
        if input.productCode == nil { errors.append(FieldError(field: "product", message: "Choose the product.")) }
        if input.organisationCode == nil { errors.append(FieldError(field: "organisation", message: "Give the site or trust's code.")) }
        if input.implementation == nil { errors.append(FieldError(field: "implementation", message: "Choose the type of implementation.")) }
        if input.due == nil { errors.append(FieldError(field: "due", message: "Give the due date as YYYY-MM-DD.")) }
        guard errors.isEmpty, let product = input.productCode, let code = input.organisationCode, let implementation = input.implementation,
              let due = input.due else { throw ValidationFailure(errors) }
        var line = DIPLine(dipID: dip.id, number: 0, productCode: product.uppercased(), organisationID: 0, ancestry: Ancestry(),
                           implementation: implementation, dueMilestone: input.dueMilestone ?? .goLiveCompleted, dueDate: due)
        try await place(&line, at: code, in: dip, scope: scope, errors: &errors)
        line.projects = try await linkedProjects(input.projectCodes ?? [], for: line, in: dip, scope: scope, errors: &errors)
        errors += DIPRules.validate(line, in: dip.year)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let ccn = try await authorisingCCN(input.ccnReference, dip: dip, lineNumber: nil, scope: scope)
        line.ccnID = ccn?.id
        return try await store.saveDIPLine(line, supplierID: dip.supplierID, year: dip.year, expectedVersion: nil, audit: audit(
            "add DIP line" + (ccn.map { " under \($0.reference)" } ?? ""), "dip", dip.id, after: Self.lineJSON(line), as: user))
    }

    public func editLine(organisationCode: String, dipID: Int64, number: Int, _ input: LineInput, expectedVersion: Int?,
                         as user: ActingUser) async throws -> DIPLine {
        let (organisation, dip, scope) = try await scopedDIP(organisationCode: organisationCode, dipID: dipID, for: .viewRecords, as: user)
        guard let current = try await store.dipLines(dipID: dip.id, within: organisation, scope: scope).first(where: { $0.number == number }) else {
            throw ServiceError(.notFound, "DIP \(dip.id) has no line \(number) at \(organisation.name).")
        }
        _ = try await gate.authorise(.manageDIP, as: user)
        var errors = input.errors
        var line = current
        if let code = input.organisationCode { try await place(&line, at: code, in: dip, scope: scope, errors: &errors) }
        if let product = input.productCode { line.productCode = product.uppercased() }
        if let implementation = input.implementation { line.implementation = implementation }
        if let kind = input.dueMilestone { line.dueMilestone = kind }
        if let due = input.due { line.dueDate = due }
        if let codes = input.projectCodes { line.projects = try await linkedProjects(codes, for: line, in: dip, scope: scope, errors: &errors) }
        line.removed = current.removed || input.remove
        errors += DIPRules.validate(line, in: dip.year)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var unchangedObligation = line
        unchangedObligation.projects = current.projects
        guard line != current else { return current }
        // Linking the projects that fulfil an obligation does not change the obligation itself.
        let ccn = unchangedObligation == current ? nil
            : try await authorisingCCN(input.ccnReference, dip: dip, lineNumber: number, scope: scope)
        line.ccnID = ccn?.id ?? current.ccnID
        if let expectedVersion, expectedVersion != current.version { throw Self.staleDIP() }
        do {
            return try await store.saveDIPLine(line, supplierID: dip.supplierID, year: dip.year, expectedVersion: current.version, audit: audit(
                (line.removed && !current.removed ? "remove" : "change") + " DIP line \(number)" + (ccn.map { " under \($0.reference)" } ?? ""),
                "dip", dip.id, before: Self.lineJSON(current), after: Self.lineJSON(line), as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.staleDIP()
        }
    }

    /// The approved CCN a change to an agreed DIP needs; nil for a draft, which changes freely.
    func authorisingCCN(_ reference: String?, dip: DetailedImplementationPlan, lineNumber: Int?,
                        scope: AccessScope) async throws -> ChangeControlNote? {
        guard dip.state == .agreed else { return nil }
        var ccn: ChangeControlNote?
        if let reference = reference?.trimmedWhitespace, !reference.isEmpty {
            ccn = try await note(reference: reference, scope: scope)
            guard ccn != nil else {
                throw ValidationFailure([FieldError(field: "ccn", message: "No Change Control Note \(reference.uppercased()) that you can see.")])
            }
        }
        if let refusal = DIPRules.changeRefusal(dip: dip, lineNumber: lineNumber, ccn: ccn) {
            throw ValidationFailure([FieldError(field: "ccn", message: refusal)])
        }
        return ccn
    }

    /// "CCN-CNE-0007" → the note, if in scope.
    func note(reference: String, scope: AccessScope) async throws -> ChangeControlNote? {
        let parts = reference.uppercased().split(separator: "-")
        guard parts.count == 3, parts[0] == "CCN", let number = Int(parts[2]),
              let cluster = try await store.organisation(code: String(parts[1]), scope: .national), cluster.kind == .cluster else { return nil }
        return try await store.changeNote(clusterID: cluster.id, number: number, scope: scope)
    }

    /// Places the line at a site or trust of the DIP's cluster that the actor can see.
    func place(_ line: inout DIPLine, at code: String, in dip: DetailedImplementationPlan, scope: AccessScope,
               errors: inout [FieldError]) async throws {
        guard let organisation = try await store.organisation(code: code, scope: scope), [.site, .trust].contains(organisation.kind),
              organisation.ancestry.clusterID == dip.clusterID else {
            errors.append(FieldError(field: "organisation", message: "'\(code)' is not a site or trust you can see in the DIP's cluster."))
            return
        }
        line.organisationID = organisation.id
        line.organisationCode = organisation.code
        line.organisationName = organisation.name
        line.ancestry = organisation.ancestry
    }

    /// The projects that fulfil the line: in scope, in the DIP's cluster, and of the line's product.
    func linkedProjects(_ codes: [String], for line: DIPLine, in dip: DetailedImplementationPlan, scope: AccessScope,
                        errors: inout [FieldError]) async throws -> [ProjectRef] {
        var projects: [ProjectRef] = []
        for code in Set(codes.map { $0.uppercased() }).sorted() {
            guard let project = try await store.project(code: code, scope: scope)?.project, project.ancestry.clusterID == dip.clusterID else {
                errors.append(FieldError(field: "projects", message: "No project \(code) that you can see in the DIP's cluster."))
                continue
            }
            guard project.productCode == line.productCode else {
                errors.append(FieldError(field: "projects", message: "\(code) implements \(project.productCode), not the line's \(line.productCode)."))
                continue
            }
            projects.append(ProjectRef(project))
        }
        return projects
    }

    static func lineJSON(_ line: DIPLine) -> String {
        "{\"due\":\"\(line.dueDate.iso)\",\"implementation\":\"\(line.implementation.rawValue)\",\"line\":\(line.number),"
            + "\"organisation\":\(line.organisationID),\"product\":\(json(line.productCode)),\"projects\":\(json(line.projects.map(\.code).joined(separator: " "))),"
            + "\"removed\":\(line.removed)}"
    }
}
