"""Privacy audit notebooks: check stored personal data against a privacy policy."""

__version__ = "0.1.0"
