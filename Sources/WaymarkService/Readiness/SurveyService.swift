import Foundation
import WaymarkCore
import WaymarkStorage

/// The Organisational Readiness Assessment and the baseline surveys (issue 14, §4.4.1.1,
/// §4.4.1.3). Answering needs `.recordReadiness` on the project; signing a version off needs
/// `.decideGates` (the Project Board and the project manager). See docs/design/readiness.md.
public struct SurveyService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore
    let tracking: TrackingService

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
        tracking = TrackingService(programme: programme)
    }

    static let entityType = "survey_response"

    public static func kind(_ text: String) throws -> SurveyKind {
        guard let kind = SurveyKind(rawValue: text.lowercased()) else {
            throw ServiceError(.notFound, "There is no survey called '\(text.prefix(40))'. The surveys are: \(SurveyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return kind
    }

    /// Every survey of the project, answered or not, in the catalogue's order.
    public func surveys(projectCode: String, as user: ActingUser) async throws -> (ProjectListing, [SurveyKind: SurveyResponse]) {
        let listing = try await gate.project(code: projectCode, as: user).0
        let responses = try await store.surveyResponses(projectID: listing.project.id)
        return (listing, Dictionary(uniqueKeysWithValues: responses.map { ($0.kind, $0) }))
    }

    /// One survey: the stored response, or a blank one on the latest questions.
    public func survey(projectCode: String, kind: String, as user: ActingUser) async throws -> (ProjectListing, SurveyResponse) {
        let kind = try Self.kind(kind)
        let listing = try await gate.project(code: projectCode, as: user).0
        let stored = try await store.surveyResponse(projectID: listing.project.id, kind: kind)
        return (listing, stored ?? SurveyResponse(projectID: listing.project.id, kind: kind, catalogueVersion: SurveyCatalogue.latest.number))
    }

    /// Replaces the answers, at the version the sender read (none for a first answer). A risk
    /// or issue raised from a finding stays linked to it.
    public func save(projectCode: String, kind: String, _ input: SurveyInput, expectedVersion: Int?, as user: ActingUser) async throws -> SurveyResponse {
        let kind = try Self.kind(kind)
        let project = try await gate.project(code: projectCode, for: .recordReadiness, as: user).0.project
        let current = try await store.surveyResponse(projectID: project.id, kind: kind)
        try Self.checkVersion(current, expectedVersion)
        let catalogue = SurveyCatalogue.version(current?.catalogueVersion ?? SurveyCatalogue.latest.number) ?? SurveyCatalogue.latest
        var answers = try input.answers(for: kind, catalogue: catalogue)
        let errors = SurveyRules.check(answers, kind: kind, catalogue: catalogue)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        for index in answers.indices { answers[index].trackingItemID = current?.answer(answers[index].questionID)?.trackingItemID }
        var response = current ?? SurveyResponse(projectID: project.id, kind: kind, catalogueVersion: catalogue.number)
        response.answers = answers
        response.updatedBy = user.name
        response.updatedAt = gate.clock.timestamp
        do {
            return try await store.saveSurveyResponse(response, expectedVersion: current?.version ?? 0, audit: gate.auditRecord(
                current == nil ? "answer survey" : "change survey", entityType: Self.entityType, entityID: response.id,
                before: current.map(Self.snapshot), after: Self.snapshot(response), as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(kind)
        }
    }

    /// Signs off the version the sender read.
    public func signOff(projectCode: String, kind: String, expectedVersion: Int?, as user: ActingUser) async throws -> SurveyResponse {
        let kind = try Self.kind(kind)
        let project = try await gate.project(code: projectCode, for: .decideGates, as: user).0.project
        guard var current = try await store.surveyResponse(projectID: project.id, kind: kind) else {
            throw ServiceError(.refused, "The \(kind.title) has no answers yet; there is nothing to sign off.")
        }
        try Self.checkVersion(current, expectedVersion)
        do {
            try await store.signOffSurvey(id: current.id, version: current.version, by: user.name, at: gate.clock.timestamp, audit: gate.auditRecord(
                "sign off survey", entityType: Self.entityType, entityID: current.id, after: "\(kind.rawValue) version \(current.version)", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale(kind)
        }
        current.signedOffVersion = current.version
        current.signedOffBy = user.name
        current.signedOffAt = gate.clock.timestamp
        return current
    }

    /// Sites within the organisation preparing a project (stage 0), by the worst ORA rating of
    /// those projects; `nil` counts the sites not yet assessed.
    public func stageZeroReadiness(organisationCode: String, as user: ActingUser) async throws -> [ReadinessRating?: Int] {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        return try await store.stageZeroReadiness(within: organisation, scope: scope)
    }

    /// Turns one finding into a risk or issue in the project's register, linked back to it, in
    /// one transaction. The register's rules apply (`.recordRisks`); the finding must be rated
    /// below ready and not raised already.
    public func raise(projectCode: String, kind: String, questionID: String, as trackingKind: TrackingKind,
                      as user: ActingUser) async throws -> TrackingItem {
        let kind = try Self.kind(kind)
        let register = try await tracking.register(.project(projectCode), for: .recordRisks, as: user)
        guard let response = try await store.surveyResponse(projectID: register.owner.projectID ?? 0, kind: kind),
              let answer = response.answer(questionID),
              let question = SurveyCatalogue.version(response.catalogueVersion)?.question(kind, id: questionID) else {
            throw ServiceError(.notFound, "The \(kind.title) has no answer to '\(questionID.prefix(40))'.")
        }
        guard answer.rating == .notReady || answer.rating == .partlyReady else {
            throw ServiceError(.refused, "Only a finding rated not ready or partly ready becomes a \(trackingKind.rawValue).")
        }
        guard answer.trackingItemID == nil else {
            throw ServiceError(.conflict, "This finding is already \(TrackingItem.reference(kind: trackingKind, id: answer.trackingItemID!)) in the register.")
        }
        var fields = ["kind": trackingKind.rawValue, "title": String("\(kind.title): \(question.text)".prefix(TrackingRules.maximumTitle)),
                      "description": answer.finding.isEmpty ? "Rated \(answer.rating!.title.lowercased()) in the \(kind.title)." : answer.finding,
                      "area": Self.area(kind, question).rawValue, "owner": answer.actions.first?.owner ?? user.name,
                      "reviewDate": gate.clock.today.adding(days: 14).iso]
        if trackingKind == .risk {
            fields["probability"] = answer.rating == .notReady ? "70" : "40"
        } else {
            fields["occurredOn"] = gate.clock.today.iso
        }
        let item = try tracking.draft(in: register, RegisterEntry(fields: fields))
        do {
            return try await store.raiseFromFinding(TrackingChange(item: item, expectedVersion: nil, audit: tracking.audit(
                "raise \(trackingKind.rawValue) from \(kind.rawValue) finding \(questionID)", id: 0, before: nil, after: item, as: user)),
                responseID: response.id, questionID: questionID)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.conflict, "This finding was raised or removed meanwhile. Reload the survey.")
        }
    }

    /// Where a finding sits among the six areas of responsibility (§4.4.2).
    static func area(_ kind: SurveyKind, _ question: SurveyQuestion) -> AreaOfResponsibility {
        switch kind {
        case .staff, .registrationAuthority, .ergonomics: .people
        case .data, .hardware, .infrastructure, .application, .security, .integration: .it
        case .process, .support: .processAndPerformance
        case .organisationalReadiness:
            question.section.hasPrefix("Staff") ? .people : question.section.hasPrefix("Existing") ? .contracts : .clinicalAndBusiness
        }
    }

    static func checkVersion(_ current: SurveyResponse?, _ expected: Int?) throws {
        guard let current else { return }
        guard let expected else {
            throw ServiceError.versionRequired("The \(current.kind.title) is at version \(current.version); say which version you read (If-Match, or reload the page).")
        }
        if expected != current.version { throw stale(current.kind) }
    }

    static func stale(_ kind: SurveyKind) -> ServiceError {
        ServiceError(.staleVersion, "Someone else changed the \(kind.title) while you were answering. Reload it and make your change again.")
    }

    /// The answers in words, for the audit trail.
    static func snapshot(_ r: SurveyResponse) -> String {
        r.answers.map { a in
            "\(a.questionID)=\(a.rating?.rawValue ?? a.count.map(String.init) ?? "-")\(a.actions.isEmpty ? "" : " (\(a.actions.count) actions)")"
        }.joined(separator: "; ")
    }
}
