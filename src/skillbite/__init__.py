"""skillbite: open micro-learning and just-in-time skill acquisition."""

__version__ = "0.1.0"
