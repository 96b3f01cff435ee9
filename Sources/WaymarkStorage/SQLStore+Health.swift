extension SQLStore {
    public func ping() async throws {
        _ = try await database.fetch("SELECT 1", [])
    }

    /// A write that changes nothing but still needs the write lock, so a read-only file or
    /// server refuses it here rather than on the first request that records something.
    public func checkWritable() async throws {
        do {
            try await database.write([SQLStatement("UPDATE audit_chain_head SET entries = entries WHERE id = 1")])
        } catch let error as StorageError {
            throw StorageError(.unavailable, "The database cannot be written: \(error.message)")
        } catch {
            throw StorageError(.unavailable, "The database cannot be written: \(error)")
        }
    }
}
