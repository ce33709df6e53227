"""Routing engine of Crowdline: the pure decision core and the stores that keep its state."""
