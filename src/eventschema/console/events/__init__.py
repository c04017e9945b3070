"""The Events pages: the searchable, sortable list of a project's events and each event's page."""
