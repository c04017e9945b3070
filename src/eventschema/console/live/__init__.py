"""The Live events page: the local event log, newest first, refreshed by console.js every few seconds."""
