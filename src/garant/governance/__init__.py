"""Governance workspace: organisations, people, roles, tools, uses, training, arbitration, policies."""
