import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

@Suite("Concurrent PATCHes")
struct ConcurrentPatchTests {
    static let writers = 16

    /// Writer `writer`'s two dates, used in turn so each of its writes changes something.
    static func date(_ writer: Int, _ round: Int) -> String {
        Day(iso: "2027-01-01")!.adding(days: writer * 2 + round % 2).iso
    }

    @Test("clients racing to change one milestone each get back exactly the state their own write committed", arguments: Backend.testable)
    func milestoneRace(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let project = try app.unstartedLSPProject()
            let uri = "/api/v1/projects/\(project.code)/milestones/initiation-commenced"
            try await app.test { client in
                let answers = try await withThrowingTaskGroup(of: [(etag: String, date: String, body: String)].self) { group in
                    for writer in 0..<Self.writers {
                        group.addTask {
                            // As a client would: reuse the ETag of its own last write, fetch one after a 412.
                            var won: [(etag: String, date: String, body: String)] = []
                            var etag: String?
                            for round in 0..<12 {
                                if etag == nil {
                                    etag = try await client.execute(uri: "/api/v1/projects/\(project.code)", method: .get).headers[.eTag]
                                }
                                let date = Self.date(writer, round)
                                let answer = try await client.execute(uri: uri, method: .patch,
                                                                      headers: [.contentType: "application/json", .ifMatch: try #require(etag)],
                                                                      body: ByteBuffer(string: #"{"forecast": "\#(date)"}"#))
                                if answer.status == .ok {
                                    let committed: String = try #require(answer.headers[.eTag])
                                    etag = committed
                                    won.append((committed, date, answer.text))
                                } else {
                                    #expect(answer.status == .preconditionFailed, "\(answer.status) \(answer.text)")
                                    etag = nil
                                }
                            }
                            return won
                        }
                    }
                    var all: [(etag: String, date: String, body: String)] = []
                    for try await won in group { all += won }
                    return all
                }
                #expect(!answers.isEmpty)
                #expect(Set(answers.map(\.etag)).count == answers.count, "no two writes answered with the same ETag")
                for answer in answers {
                    #expect(answer.body.contains(answer.date), "the answer shows its own write (\(answer.date)), not another's")
                }
            }
        }
    }

    /// The race above is narrow in-process and may pass by luck; this pins the rule itself: once
    /// another write has landed, the answer still shows the state this write committed.
    @Test("a write's answer is built from what it committed, not from a read after it")
    func answerShowsOwnCommit() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        let user = ActingUser.commandLine()
        let mine = try await app.service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(
            milestone: .initiationCommenced, forecast: "2027-01-04", actual: nil, expectedVersion: project.version), as: user)
        _ = try await app.service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(
            milestone: .initiationCommenced, forecast: "2027-01-05", actual: nil, expectedVersion: mine.version), as: user)
        let answer = try await app.service.projectView(code: project.code, showing: mine, as: user)
        #expect(answer.project.version == mine.version)
        #expect(answer.project.milestone(.initiationCommenced)?.forecast == Day(iso: "2027-01-04"))
        let reread = try await app.service.projectView(code: project.code, as: user)
        #expect(reread.project.milestone(.initiationCommenced)?.forecast == Day(iso: "2027-01-05"), "another write did land")
    }
}
