import Foundation
import WaymarkInterchange

/// Reads the bytes as a plan: errors are fine, a crash or trap is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    _ = try? PlanReader.read(data, format: .csv, projectCode: "FUZZ")
    return 0
}

#if !FUZZING
// Without libFuzzer (a normal build): replay the files named, e.g. a crash input or the corpus.
for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("cannot read \(path)")
        exit(1)
    }
    _ = data.withUnsafeBytes { fuzzOne($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
    print("ok \(path)")
}
#endif
