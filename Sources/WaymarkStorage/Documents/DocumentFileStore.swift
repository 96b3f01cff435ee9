import Foundation

/// Where document versions' bytes live, content-addressed by their SHA-256 (lower-case hex).
/// SQLite keeps them as files under the data directory; PostgreSQL (or a store without a
/// directory) keeps them in the `document_file` table, written in the version's transaction.
public protocol DocumentFileStore: Sendable {
    /// Stores `bytes` under `hash` before the transaction that refers to them. Idempotent: the
    /// same content is one file however many versions share it, and a failed transaction
    /// leaves at most an unreferenced file.
    func put(hash: String, bytes: [UInt8]) throws
    func get(hash: String) throws -> [UInt8]?
}

/// Files at `root/ab/cdef…`, named only by their hash, so no uploaded name ever becomes a path.
public struct DirectoryDocumentFiles: DocumentFileStore {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The directory beside a SQLite database file: `waymark.sqlite` keeps `waymark.sqlite-files/`.
    public init(besideDatabaseAt path: String) {
        root = URL(fileURLWithPath: path + "-files", isDirectory: true)
    }

    func url(_ hash: String) throws -> URL {
        guard hash.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw StorageError(.invalid, "'\(hash)' is not a SHA-256 content hash.")
        }
        return root.appendingPathComponent(String(hash.prefix(2)), isDirectory: true).appendingPathComponent(hash)
    }

    public func put(hash: String, bytes: [UInt8]) throws {
        let target = try url(hash)
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) { return }
        do {
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Written aside, flushed, then renamed: a crash never leaves a half file under the hash.
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
            guard manager.createFile(atPath: temporary.path, contents: nil) else {
                throw StorageError(.unavailable, "Cannot create a file in \(target.deletingLastPathComponent().path).")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, target.path) != 0 {
                try? manager.removeItem(at: temporary)
                throw StorageError(.unavailable, "Cannot store the document file under \(root.path).")
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.unavailable, "Cannot store the document file under \(root.path): \(error.localizedDescription). Check the data directory is writable.")
        }
    }

    public func get(hash: String) throws -> [UInt8]? {
        let target = try url(hash)
        guard let data = FileManager.default.contents(atPath: target.path) else { return nil }
        return Array(data)
    }
}
