"""The Violations page: violations per event and property over the last 24 hours and 7 days, as a chart and a
table, worst first."""
