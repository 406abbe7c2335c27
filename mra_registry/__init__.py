"""mra-registry: must this imported test report be retested, or is it recognised, and why?"""

__version__ = "0.1.0"
