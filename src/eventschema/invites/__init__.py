"""Invitations: one-time links that let a person set a password and join an organization at a level."""
