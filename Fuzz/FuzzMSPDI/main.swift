import Foundation
import WaymarkInterchange

/// libFuzzer's entry: reads the bytes as a plan. Errors are fine; a crash or trap is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    _ = try? PlanReader.read(data, format: .mspdi, projectCode: "FUZZ")
    return 0
}

// Built with -DFUZZING, libFuzzer supplies main. Otherwise this replays the files named
// (a crash input, or the corpus) through the same entry.
#if !FUZZING
@main enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(1)
            }
            _ = data.withUnsafeBytes { fuzzOne($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
            print("ok \(path)")
        }
    }
}
#endif
