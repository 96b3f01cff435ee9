import Foundation
import Hummingbird
import WaymarkService

/// A multipart/form-data body read as it arrives (RFC 7578), for uploads that must never be held
/// whole: the data-quality extract. Small fields are collected as text; the one file part is
/// handed on chunk by chunk. Only a delimiter's length of bytes is kept back between chunks.
struct MultipartStream {
    /// A form's small field, or the file's next bytes.
    enum Event {
        case field(name: String, value: String)
        case fileStarts(name: String)
        case file([UInt8])
    }

    private enum State { case preamble, afterDelimiter, headers, field(String), file }

    private let delimiter: [UInt8]
    private var pending: [UInt8] = []
    private var state = State.preamble
    private var fieldValue: [UInt8] = []
    private(set) var finished = false

    static let largestField = 64 * 1024

    init(contentType: String?) throws {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let range = contentType.range(of: "boundary=") else {
            throw ServiceError(.badRequest, "The upload must be sent as multipart/form-data.")
        }
        var boundary = String(contentType[range.upperBound...]).split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter has no CRLF before it; pretend the body starts with one.
        pending = [13, 10]
    }

    /// Feeds the next bytes; `emit` is called for every field and every piece of the file.
    mutating func feed(_ bytes: some Collection<UInt8>, emit: (Event) async throws -> Void) async throws {
        pending.append(contentsOf: bytes)
        var start = 0
        defer { pending.removeFirst(start) }
        while !finished {
            switch state {
            case .preamble:
                guard let found = find(delimiter, from: start) else {
                    start = max(start, pending.count - delimiter.count)
                    return
                }
                start = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard pending.count - start >= 2 else { return }
                if pending[start] == 45 && pending[start + 1] == 45 {
                    finished = true
                    return
                }
                start += 2
                state = .headers
            case .headers:
                guard let end = find([13, 10, 13, 10], from: start) else {
                    if pending.count - start > 16 * 1024 { throw ServiceError(.badRequest, "A part of the upload has headers over 16 KB.") }
                    return
                }
                let headers = String(decoding: pending[start..<end], as: UTF8.self)
                start = end + 4
                guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                      let name = Multipart.parameter("name", in: String(disposition)) else {
                    throw ServiceError(.badRequest, "A part of the upload has no field name.")
                }
                if Multipart.parameter("filename", in: String(disposition)) != nil {
                    state = .file
                    try await emit(.fileStarts(name: name))
                } else {
                    state = .field(name)
                    fieldValue = []
                }
            case .field(let name):
                let found = find(delimiter, from: start)
                let end = found ?? max(start, pending.count - delimiter.count)
                fieldValue.append(contentsOf: pending[start..<end])
                guard fieldValue.count <= Self.largestField else { throw ServiceError(.badRequest, "The form field \(name) is over 64 KB.") }
                start = end
                guard let found else { return }
                start = found + delimiter.count
                try await emit(.field(name: name, value: String(decoding: fieldValue, as: UTF8.self)))
                state = .afterDelimiter
            case .file:
                let found = find(delimiter, from: start)
                let end = found ?? max(start, pending.count - delimiter.count)
                if end > start { try await emit(.file(Array(pending[start..<end]))) }
                start = end
                guard let found else { return }
                start = found + delimiter.count
                state = .afterDelimiter
            }
        }
    }

    /// Where `needle` next starts in the pending bytes, searching with memchr for its first byte.
    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        pending.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var index = start
            while index + needle.count <= buffer.count {
                guard let hit = memchr(base + index, Int32(needle[0]), buffer.count - index) else { return nil }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard at + needle.count <= buffer.count else { return nil }
                if memcmp(base + at, needle, needle.count) == 0 { return at }
                index = at + 1
            }
            return nil
        }
    }
}
