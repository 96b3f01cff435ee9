/// Audited writes from one process take turns at the head of the audit chain. Each append must
/// name the hash before it; without turns, concurrent writers on PostgreSQL kept moving the head
/// under one another and ran out of retries (10 parallel clients failed hundreds of requests).
/// Writers on other nodes still meet the head check in SQL and retry.
public actor AuditAppendLock {
    public init() {}

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
