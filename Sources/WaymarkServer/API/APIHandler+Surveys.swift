import Foundation
import Hummingbird
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// The readiness surveys over the API (issue 14): read, answer with If-Match, sign off, and
/// raise a finding as a risk or an issue.
extension APIHandler {
    var surveys: SurveyService { SurveyService(programme: service) }

    func listSurveys(_ input: Operations.listSurveys.Input) async throws -> Operations.listSurveys.Output {
        let responses = try await surveys.surveys(projectCode: input.path.code, as: user).1
        return .ok(.init(body: .json(.init(items: SurveyKind.allCases.compactMap { responses[$0] }.map(Self.survey)))))
    }

    func getSurvey(_ input: Operations.getSurvey.Input) async throws -> Operations.getSurvey.Output {
        let response = try await surveys.survey(projectCode: input.path.code, kind: input.path.kind, as: user).1
        return .ok(.init(headers: .init(ETag: Self.etag(response.version)), body: .json(Self.survey(response))))
    }

    func saveSurvey(_ input: Operations.saveSurvey.Input) async throws -> Operations.saveSurvey.Output {
        // A first answer has no version to name; after that the service asks for one (428).
        let expected = try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the survey") }
        let body: Operations.saveSurvey.Input.Body.jsonPayload
        switch input.body {
        case .json(let json): body = json
        case .csv(let csv):
            let data = try await Data(collecting: csv, upTo: SurveyService.maximumImportBytes)
            let saved = try await surveys.importCSV(projectCode: input.path.code, kind: input.path.kind, data,
                                                    expectedVersion: expected == 0 ? nil : expected, as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(saved.version)), body: .json(Self.survey(saved))))
        }
        var answers: [String: SurveyInput.Answer] = [:]
        for answer in body.answers {
            guard answers[answer.question] == nil else {
                throw ValidationFailure([FieldError(field: "answers", message: "'\(answer.question.prefix(40))' is answered twice.")])
            }
            answers[answer.question] = SurveyInput.Answer(rating: answer.rating, count: answer.count.map { String($0) }, finding: answer.finding,
                                                           actions: (answer.actions ?? []).map { (text: $0.text, owner: $0.owner, due: $0.due) })
        }
        let saved = try await surveys.save(projectCode: input.path.code, kind: input.path.kind, SurveyInput(answers: answers),
                                           expectedVersion: expected == 0 ? nil : expected, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.version)), body: .json(Self.survey(saved))))
    }

    func signOffSurvey(_ input: Operations.signOffSurvey.Input) async throws -> Operations.signOffSurvey.Output {
        let signed = try await surveys.signOff(projectCode: input.path.code, kind: input.path.kind,
                                               expectedVersion: try Self.ifMatch(input.headers.If_hyphen_Match, of: "the survey"), as: user)
        return .ok(.init(body: .json(Self.survey(signed))))
    }

    func raiseSurveyFinding(_ input: Operations.raiseSurveyFinding.Input) async throws -> Operations.raiseSurveyFinding.Output {
        let item = try await surveys.raise(projectCode: input.path.code, kind: input.path.kind, questionID: input.path.question,
                                           as: input.query._as == .issue ? .issue : .risk, as: user)
        return .created(.init(body: .json(.init(id: item.id, reference: item.reference))))
    }

    func getStageZeroReadiness(_ input: Operations.getStageZeroReadiness.Input) async throws -> Operations.getStageZeroReadiness.Output {
        let counts = try await surveys.stageZeroReadiness(organisationCode: input.path.code, as: user)
        return .ok(.init(body: .json(.init(ready: counts[.ready] ?? 0, partlyReady: counts[.partlyReady] ?? 0, notReady: counts[.notReady] ?? 0,
                                           notAssessed: counts[nil] ?? 0, notApplicable: counts[.notApplicable] ?? 0))))
    }

    static func survey(_ r: SurveyResponse) -> Components.Schemas.SurveyResponse {
        func rating(_ value: ReadinessRating?) -> Components.Schemas.SurveyResponse.overallPayload? {
            value.flatMap { .init(rawValue: $0.rawValue) }
        }
        return .init(kind: r.kind.rawValue, title: r.kind.title, catalogueVersion: r.catalogueVersion, version: r.version, overall: rating(r.overall),
                     signedOff: r.isSignedOff, signedOffVersion: r.signedOffVersion, signedOffBy: r.signedOffBy, openFindings: r.openFindings.count,
                     answers: r.answers.map { a in
            .init(question: a.questionID, rating: a.rating.flatMap { .init(rawValue: $0.rawValue) }, count: a.count.map(Int64.init),
                  finding: a.finding, trackingItem: a.trackingItemID,
                  actions: a.actions.map { .init(text: $0.text, owner: $0.owner, due: $0.due.iso) })
        })
    }
}
