"""One screen per file; each calls the services, never holds a business rule."""
