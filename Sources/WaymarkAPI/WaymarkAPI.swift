import Foundation

/// The OpenAPI document the generated types come from, served at /api/v1/openapi.yaml.
public enum WaymarkAPISpec {
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}
