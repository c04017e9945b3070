"""Event schemas: the links between an event definition and the property groups it must carry."""
