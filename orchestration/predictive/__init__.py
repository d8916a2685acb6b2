"""Predictive scoring: point-in-time training sets, the model, its audit, and rule backtests."""
