"""The Drift page: what the observed traffic does that the plan does not say, and proposals to plan it."""
