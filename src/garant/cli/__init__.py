"""The ``garant`` command line: thin commands over the service layer."""

__all__: list[str] = []
