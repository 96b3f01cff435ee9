import NIOCore
import NIOPosix

// Run Swift concurrency on NIO's event loops, so a request is served on the thread that read
// it instead of hopping to a dispatch thread and back (about a third more throughput at 25
// rows; see docs/performance.md). Must happen before any task starts.
if Environment.value("WAYMARK_DISPATCH_EXECUTOR") == nil {
    _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
await WaymarkEntry.run()
