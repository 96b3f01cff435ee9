import Foundation
import Hummingbird
import WaymarkService

/// A minimal multipart/form-data reader (RFC 7578) for the upload forms (plans, documents,
/// register imports): named parts with an optional filename.
enum Multipart {
    struct Part {
        var filename: String?
        /// The part's own Content-Type, if the client sent one.
        var contentType: String? = nil
        var data: [UInt8]
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A request's multipart form, read up to `limit` bytes (413 beyond); a body that is not
    /// one is 400.
    static func form(_ request: Request, upTo limit: Int) async throws -> [String: Part] {
        let body = try await request.cappedBody(upTo: limit)
        do {
            return try parse(body, contentType: request.headers[.contentType])
        } catch let failure as Failure {
            throw ServiceError(.badRequest, failure.description)
        }
    }

    static func parse(_ body: ByteBuffer, contentType: String?) throws -> [String: Part] {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundaryRange = contentType.range(of: "boundary=") else {
            throw Failure(description: "The upload must be sent as multipart/form-data.")
        }
        var boundary = String(contentType[boundaryRange.upperBound...]).split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        let bytes = Array(body.readableBytesView)
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [String: Part] = [:]
        var positions: [Int] = []
        var searchFrom = 0
        while let found = find(delimiter, in: bytes, from: searchFrom) {
            positions.append(found)
            searchFrom = found + delimiter.count
        }
        guard positions.count >= 2 else { throw Failure(description: "The upload is not a complete multipart form.") }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            if bytes[partStart..<min(partStart + 2, bytes.count)].elementsEqual([13, 10]) { partStart += 2 }
            // The part's content ends before the CRLF that precedes the next delimiter.
            let partEnd = end >= 2 && bytes[end - 2] == 13 && bytes[end - 1] == 10 ? end - 2 : end
            guard partStart <= partEnd, let headerEnd = find([13, 10, 13, 10], in: bytes, from: partStart), headerEnd <= partEnd else {
                throw Failure(description: "A part of the upload has no headers.")
            }
            let headers = String(decoding: bytes[partStart..<headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = parameter("name", in: String(disposition)) else {
                throw Failure(description: "A part of the upload has no field name.")
            }
            let type = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
                .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) }
            parts[name] = Part(filename: parameter("filename", in: String(disposition)), contentType: type,
                               data: Array(bytes[(headerEnd + 4)..<partEnd]))
        }
        return parts
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(name + "=") else { continue }
            var value = String(trimmed.dropFirst(name.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
