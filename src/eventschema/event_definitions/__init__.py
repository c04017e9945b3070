"""Event definitions: the events a project knows, and how strictly each is enforced."""
