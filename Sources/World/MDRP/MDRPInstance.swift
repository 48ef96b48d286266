/// One Meal Delivery Routing Problem instance (Reyes et al. 2018), as published by Grubhub in
/// grubhub/mdrplib `public_instances/<name>/`: orders, restaurants, couriers and the
/// instance parameters, all times in integer minutes from the start of the day and all
/// coordinates in metres.
///
/// Ids are kept as the strings of the files (`o12`, `r3`, `c7`); the solution files repeat
/// them. Everything else in capsim refers to an entity by its index in these arrays, which is
/// its position in the file (the deterministic tie-breaker of the replay: file order).
///
/// Load one with `MDRPInstance.load(directory:)` (see `MDRPInstance+Loading.swift`).
public struct MDRPInstance: Sendable, Equatable {
    /// The directory name (e.g. `0o50t75s1p100`), for reports.
    public var name: String
    public var orders: [MDRPOrder]
    public var restaurants: [MDRPRestaurant]
    public var couriers: [MDRPCourier]
    public var parameters: MDRPParameters
    /// `instance_characteristics.txt` as (key, value) lines in file order, when present;
    /// informational only (the replay never reads it).
    public var characteristics: [(key: String, value: String)]

    public init(
        name: String, orders: [MDRPOrder], restaurants: [MDRPRestaurant], couriers: [MDRPCourier],
        parameters: MDRPParameters, characteristics: [(key: String, value: String)] = []
    ) {
        self.name = name
        self.orders = orders
        self.restaurants = restaurants
        self.couriers = couriers
        self.parameters = parameters
        self.characteristics = characteristics
    }

    public static func == (a: MDRPInstance, b: MDRPInstance) -> Bool {
        a.name == b.name && a.orders == b.orders && a.restaurants == b.restaurants && a.couriers == b.couriers
            && a.parameters == b.parameters && a.characteristics.map(\.key) == b.characteristics.map(\.key)
            && a.characteristics.map(\.value) == b.characteristics.map(\.value)
    }

    /// Total scheduled courier time in minutes (sum of off_time - on_time).
    public var courierMinutes: Int { couriers.reduce(0) { $0 + ($1.offTime - $1.onTime) } }
}

/// A row of `orders.txt`: order, x, y, placement_time, restaurant, ready_time.
public struct MDRPOrder: Sendable, Equatable {
    public var id: String
    /// Drop-off (customer) position in metres.
    public var x: Double
    public var y: Double
    /// Minutes from the start of the day.
    public var placementTime: Int
    /// Index into `MDRPInstance.restaurants`.
    public var restaurantIndex: Int
    /// Minutes from the start of the day; never before `placementTime` (checked on load).
    public var readyTime: Int

    public init(id: String, x: Double, y: Double, placementTime: Int, restaurantIndex: Int, readyTime: Int) {
        self.id = id
        self.x = x
        self.y = y
        self.placementTime = placementTime
        self.restaurantIndex = restaurantIndex
        self.readyTime = readyTime
    }
}

/// A row of `restaurants.txt`: restaurant, x, y.
public struct MDRPRestaurant: Sendable, Equatable {
    public var id: String
    public var x: Double
    public var y: Double

    public init(id: String, x: Double, y: Double) {
        self.id = id
        self.x = x
        self.y = y
    }
}

/// A row of `couriers.txt`: courier, x, y, on_time, off_time. The courier is at (x, y) at
/// `onTime` and may pick nothing up after `offTime` (it may still finish drop-offs).
public struct MDRPCourier: Sendable, Equatable {
    public var id: String
    public var x: Double
    public var y: Double
    public var onTime: Int
    public var offTime: Int

    public init(id: String, x: Double, y: Double, onTime: Int, offTime: Int) {
        self.id = id
        self.x = x
        self.y = y
        self.onTime = onTime
        self.offTime = offTime
    }
}

/// `instance_parameters.txt` (one header line, one value line, tab-separated):
/// meters_per_minute, pickup service minutes, dropoff service minutes, target click-to-door,
/// maximum click-to-door, pay per order, guaranteed pay per hour; e.g. `320 4 4 40 90 10 15`.
public struct MDRPParameters: Sendable, Equatable {
    public var metersPerMinute: Double
    public var pickupServiceMinutes: Int
    public var dropoffServiceMinutes: Int
    public var targetClickToDoorMinutes: Int
    public var maximumClickToDoorMinutes: Int
    public var payPerOrder: Double
    public var guaranteedPayPerHour: Double

    public init(
        metersPerMinute: Double, pickupServiceMinutes: Int, dropoffServiceMinutes: Int,
        targetClickToDoorMinutes: Int, maximumClickToDoorMinutes: Int, payPerOrder: Double,
        guaranteedPayPerHour: Double
    ) {
        self.metersPerMinute = metersPerMinute
        self.pickupServiceMinutes = pickupServiceMinutes
        self.dropoffServiceMinutes = dropoffServiceMinutes
        self.targetClickToDoorMinutes = targetClickToDoorMinutes
        self.maximumClickToDoorMinutes = maximumClickToDoorMinutes
        self.payPerOrder = payPerOrder
        self.guaranteedPayPerHour = guaranteedPayPerHour
    }
}
