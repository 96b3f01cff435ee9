import WaymarkService

/// Lets `waymark bench` time the heat map page as served: the service call and the SVG page.
public enum HeatMapBenchmark {
    /// Returns the page's size in bytes.
    public static func render(_ view: TrackingService.HeatMapView) -> Int {
        HeatMapPage(view: view).render().rendered.utf8.count
    }
}
