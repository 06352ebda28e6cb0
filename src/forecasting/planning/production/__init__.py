"""Factory production: requirements from shipments, the lot-sizing model and its solvers
(facility-location MIPs, LP dive, repair, sub-MIP search), the factory calendar and what-ifs, report files.
"""
