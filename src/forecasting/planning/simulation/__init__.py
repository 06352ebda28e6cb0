"""Inventory simulation: replaying replenishment policies and rules of thumb on history,
with the fees they would have paid.
"""
