"""FBA replenishment: the plan (order-up-to with lead-time segments, LILF floor, ageing cap,
capacity limits, expedite), its rows, projection and report files.
"""
