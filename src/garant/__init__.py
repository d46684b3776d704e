"""garant — accountable use of AI in French citizen participation."""

__version__ = "0.1.0"

__all__ = ["__version__"]
