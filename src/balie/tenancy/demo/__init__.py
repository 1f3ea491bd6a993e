"""The demo shop "Kookwinkel De Pollepel", a Dutch kitchenware webshop, for `balie seed_demo`.

`seeding.demo_seed` creates the shop (`shop.py`) and then runs each step in `seeding.STEPS`
over one `Demo` (`context.py`): a seeded `random.Random` and seeded Fakers, so the same day
gives the same data. Another context adds its demo data by writing a module here with
`seed(demo: Demo) -> None` and appending it to `STEPS`; it reads what earlier steps left on
`demo` (agents, customers, products, orders) and draws only from `demo.rng`/`demo.fake`.
"""
