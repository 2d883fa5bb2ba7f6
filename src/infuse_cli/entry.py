"""The console entry point, kept tiny so it runs before anything heavy is imported.

A command lives for well under a second. During start-up the cyclic garbage
collector runs again and again over the objects module imports create,
costing about 5 ms and reclaiming nothing worth having, so it is switched off
for the life of the process (reference counting still frees memory).
"""


class _TypingOnly:
    """While msgspec's helper module is first imported, its optional ``typing_extensions``
    is reported missing, so that it takes the same names from ``typing`` (Python 3.11 has
    them all). This saves about 5 ms at every start; a later import of typing_extensions by
    anything else proceeds as usual."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        import sys

        helper = sys.modules.get("msgspec._utils")
        if name == "typing_extensions" and helper is not None and not hasattr(helper, "get_type_hints"):
            raise ModuleNotFoundError(name)
        return None


def main() -> None:
    import gc
    import sys

    gc.disable()
    sys.meta_path.insert(0, _TypingOnly)
    try:
        from infuse_cli.cli.app import main as run

        run()
    except KeyboardInterrupt:  # Ctrl-C while infuse was starting, before its own handler
        stopped()


def stopped() -> None:
    """Ctrl-C: say what became of the journal, and exit 130."""
    import sys

    store = sys.modules.get("infuse_cli.store")
    if store is not None and getattr(store, "SAVED", None):
        sys.stderr.write("\nStopped. The change had already been saved; nothing else was changed.\n")
    else:
        sys.stderr.write("\nStopped. Nothing was changed.\n")
    sys.exit(130)
