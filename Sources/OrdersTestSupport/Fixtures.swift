public import Foundation

/// The shared channel fixtures (../shared/fixtures next to the project, or $ORDERFLOW_FIXTURES).
/// Fixture tests use `.enabled(if: Fixtures.available, ...)` so a clone without them says so loudly.
public enum Fixtures {
    public static var directory: URL? {
        let candidates: [URL]
        if let override = ProcessInfo.processInfo.environment["ORDERFLOW_FIXTURES"], !override.isEmpty {
            candidates = [URL(fileURLWithPath: override, isDirectory: true)]
        } else {
            // OrdersTestSupport/ -> Sources/ -> package root; the project may be reached through a
            // symlink, so try the resolved path too.
            let thisFile = URL(fileURLWithPath: #filePath)
            let roots = [thisFile, thisFile.resolvingSymlinksInPath()].map {
                $0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            }
            candidates = roots.map { $0.appendingPathComponent("../shared/fixtures", isDirectory: true).standardized }
        }
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    public static var available: Bool { directory != nil }

    public struct Missing: Error, CustomStringConvertible {
        let relativePath: String
        public var description: String { "fixture \(relativePath) not found (shared fixtures folder missing?)" }
    }

    /// The bytes of `relativePath` under the fixtures folder, e.g. "shopify/rest-refund.json".
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        guard let directory else { throw Missing(relativePath: relativePath) }
        let data = try Data(contentsOf: directory.appendingPathComponent(relativePath))
        return [UInt8](data)
    }

    /// Every *.json file below the fixtures folder, as paths relative to it, sorted.
    public static func allJSONFiles() -> [String] {
        guard let directory,
            let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        else {
            return []
        }
        let base = directory.standardized.path
        var files: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let full = url.standardized.path
            files.append(full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : url.lastPathComponent)
        }
        return files.sorted()
    }
}
