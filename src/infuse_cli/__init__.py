"""infuse: an offline companion for people with MS who receive infused therapies."""

# The one source of truth for the version: hatch reads it at build time, and
# `infuse --version` prints it without importlib.metadata (about 12 ms of start-up).
__version__ = "0.1.0"
