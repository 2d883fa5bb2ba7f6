"""The console entry point, kept tiny so it runs before anything heavy is imported.

A command lives for well under a second. During start-up the cyclic garbage
collector runs again and again over the objects module imports create,
costing about 5 ms and reclaiming nothing worth having, so it is switched off
for the life of the process (reference counting still frees memory).

When the command is done, every object is frozen (``gc.freeze``) before the
interpreter shuts down. Shutting down still runs in full (files and the journal
are closed, exit handlers run), but its last collection no longer walks every
object the run created: about 10 ms, an eighth of a plain command's time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class _TypingOnly:
    """While msgspec's helper module is first imported, its optional ``typing_extensions``
    is reported missing, so that it takes the same names from ``typing`` (Python 3.11 has
    them all). This saves about 5 ms at every start; a later import of typing_extensions by
    anything else proceeds as usual."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: object = None) -> Any:
        import sys

        helper = sys.modules.get("msgspec._utils")
        if name == "typing_extensions" and helper is not None and not hasattr(helper, "get_type_hints"):
            raise ModuleNotFoundError(name)
        if name == _LATER:
            return _later(name, path)
        return None


# msgspec imports its `inspect` module (type introspection, for JSON Schema) whenever it is
# imported; infuse never uses it. It is loaded lazily: its code runs on first use, if any
# (about 2 ms saved at every start).
_LATER = "msgspec.inspect"


def _later(name: str, path: Any) -> Any:
    import importlib.machinery
    import importlib.util

    spec = importlib.machinery.PathFinder.find_spec(name, path)
    if spec is None or spec.loader is None:
        return None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    return spec


def main() -> None:
    import gc
    import sys

    gc.disable()
    sys.meta_path.insert(0, _TypingOnly)
    try:
        if "--short" in sys.argv:  # `infuse due --short`, at every new terminal: the quick path
            from infuse_cli.quick import run as quick

            if quick(sys.argv[1:]):
                return
        from infuse_cli.cli.app import main as run

        run()
    except KeyboardInterrupt:  # Ctrl-C while infuse was starting, before its own handler
        stopped()
    finally:
        gc.freeze()  # the shutdown's collection skips what this run made (see above)


def stopped() -> None:
    """Ctrl-C: say what became of the journal, and exit 130."""
    import sys

    store = sys.modules.get("infuse_cli.store")
    if store is not None and getattr(store, "SAVED", None):
        sys.stderr.write("\nStopped. The change had already been saved; nothing else was changed.\n")
    else:
        sys.stderr.write("\nStopped. Nothing was changed.\n")
    sys.exit(130)
