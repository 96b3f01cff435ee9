import WaymarkCore

/// Readiness surveys per project (issue 14). Callers have checked the project is in scope;
/// each write is audited in its transaction and guarded by the response's version.
public protocol SurveyRegister: Sendable {
    func surveyResponses(projectID: Int64) async throws -> [SurveyResponse]
    func surveyResponse(projectID: Int64, kind: SurveyKind) async throws -> SurveyResponse?
    /// Saves the answers at `expectedVersion` (0 for a project's first response of that kind),
    /// replacing the stored ones; a changed version is `.conflict`.
    func saveSurveyResponse(_ response: SurveyResponse, expectedVersion: Int, audit: AuditRecord) async throws -> SurveyResponse
    /// Signs off the response at `version`; a changed version is `.conflict`.
    func signOffSurvey(id: Int64, version: Int, by name: String, at timestamp: String, audit: AuditRecord) async throws
    /// Raises a risk or issue from one answer's finding and links the answer to it, in one
    /// transaction (`.conflict` if the answer has gone or is linked already). The link does not
    /// change the answers, so the response keeps its version and any sign-off.
    /// Sites within `organisation` with a live project in stage 0, by the worst ORA rating of
    /// those projects (nil: not assessed), within `scope`.
    func stageZeroReadiness(within organisation: Organisation, scope: AccessScope) async throws -> [ReadinessRating?: Int]
    func raiseFromFinding(_ change: TrackingChange, responseID: Int64, questionID: String) async throws -> TrackingItem
}
