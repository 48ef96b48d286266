"""Generates capsim's own small MDRP-format instance (not derived from Grubhub data).

A 6 km x 6 km town, 8 restaurants, 10 couriers, 40 orders over four hours, written in the
five-file, tab-separated format of grubhub/mdrplib public_instances. Deterministic: run
`python3 generate.py` in this directory to rewrite the same files.
"""
import random

rng = random.Random(20240611)
W = 6000
restaurants = [(f"r{i + 1}", rng.randint(800, W - 800), rng.randint(800, W - 800)) for i in range(8)]

# Ten couriers: three early shifts, four middle, two late, one short shift that ends
# while orders are still coming (exercises "no pickup after off_time").
shifts = [(0, 120), (0, 120), (0, 150), (30, 180), (30, 210), (60, 210), (60, 240),
          (120, 240), (150, 240), (90, 130)]
couriers = [(f"c{i + 1}", rng.randint(0, W), rng.randint(0, W), on, off)
            for i, (on, off) in enumerate(shifts)]

orders = []
for i in range(37):
    r = rng.randrange(8)
    placement = rng.randint(0, 200)
    prep = rng.randint(5, 30)
    rx, ry = restaurants[r][1], restaurants[r][2]
    cx = min(W, max(0, rx + rng.randint(-2500, 2500)))
    cy = min(W, max(0, ry + rng.randint(-2500, 2500)))
    orders.append([cx, cy, placement, r, placement + prep])
# Two orders from one restaurant a minute apart with the same ready time: a bundle candidate.
orders.append([3100, 2900, 95, 2, 110])
orders.append([3300, 3050, 96, 2, 110])
# Placed after every courier's shift has ended: no feasible solution can deliver it.
orders.append([2000, 2000, 235, 0, 250])
orders.sort(key=lambda o: o[2])  # stable: equal placement times keep generation order
assert len(orders) == 40

with open("restaurants.txt", "w") as f:
    f.write("restaurant\tx\ty\n")
    for rid, x, y in restaurants:
        f.write(f"{rid}\t{x}\t{y}\n")
with open("couriers.txt", "w") as f:
    f.write("courier\tx\ty\ton_time\toff_time\n")
    for cid, x, y, on, off in couriers:
        f.write(f"{cid}\t{x}\t{y}\t{on}\t{off}\n")
with open("orders.txt", "w") as f:
    f.write("order\tx\ty\tplacement_time\trestaurant\tready_time\n")
    for i, (x, y, placement, r, ready) in enumerate(orders):
        f.write(f"o{i + 1}\t{x}\t{y}\t{placement}\t{restaurants[r][0]}\t{ready}\n")
with open("instance_parameters.txt", "w") as f:
    f.write("meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\t"
            "maximum click-to-door\tpay per order\tguaranteed pay per hour\n")
    f.write("320\t4\t4\t40\t90\t10\t15\n")
