import Crypto
import Foundation
import WaymarkCore

/// A stored Operational Readiness Report: the snapshot exactly as written, which the service
/// decodes and checks against `hash`. The store does not read inside it.
public struct ReadinessReportRecord: Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var number: Int
    public var snapshot: String
    public var hash: String
    public var signedBy: String?
    public var signedAt: String?

    public init(id: Int64 = 0, projectID: Int64, number: Int = 0, snapshot: String, hash: String, signedBy: String? = nil, signedAt: String? = nil) {
        self.id = id
        self.projectID = projectID
        self.number = number
        self.snapshot = snapshot
        self.hash = hash
        self.signedBy = signedBy
        self.signedAt = signedAt
    }
}

/// Operational Readiness Reports per project (issue 14). Callers have checked the project is in
/// scope; each write is audited in its transaction. A snapshot is written once and never
/// changed; only the signature is added, once.
public protocol ReadinessReportRegister: Sendable {
    /// Stores a new report; the store numbers it within the project.
    func saveReadinessReport(_ record: ReadinessReportRecord, audit: AuditRecord) async throws -> ReadinessReportRecord
    /// A project's reports, newest first.
    func readinessReports(projectID: Int64) async throws -> [ReadinessReportRecord]
    func readinessReport(projectID: Int64, number: Int) async throws -> ReadinessReportRecord?
    /// Signs the report whose snapshot hashes to `hash`; `.conflict` if it is signed already.
    func signReadinessReport(id: Int64, hash: String, by name: String, at timestamp: String, audit: AuditRecord) async throws
}

/// What a report stores and hashes: the inputs with who generated them and when, as JSON with
/// sorted keys, so the same report always gives the same bytes and hash.
public struct ReadinessSnapshot: Codable, Sendable {
    public var projectCode: String
    public var generatedBy: String
    public var generatedAt: String
    public var inputs: ReadinessInputs

    public init(projectCode: String, generatedBy: String, generatedAt: String, inputs: ReadinessInputs) {
        self.projectCode = projectCode
        self.generatedBy = generatedBy
        self.generatedAt = generatedAt
        self.inputs = inputs
    }

    /// The stored text and its SHA-256 in hex.
    public func encoded() -> (text: String, hash: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return (String(decoding: data, as: UTF8.self), Self.hash(data))
    }

    public static func hash(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }

    public static func decode(_ text: String) throws -> ReadinessSnapshot {
        try JSONDecoder().decode(ReadinessSnapshot.self, from: Data(text.utf8))
    }
}
