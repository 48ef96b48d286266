/// The delivery-platform sections (regions, demand, services, caches, database, Kafka...).
/// Filled in by the World model's configuration.
public enum PlatformSchema {
    public static var sections: [Field] { [] }
}
