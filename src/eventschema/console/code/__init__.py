"""The Code page: a project's generated client code, previewed and downloaded."""
