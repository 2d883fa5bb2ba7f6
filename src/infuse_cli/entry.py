"""The console entry point, kept tiny so it runs before anything heavy is imported.

A command lives for well under a second. During start-up the cyclic garbage
collector runs again and again over the objects module imports create,
costing about 5 ms and reclaiming nothing worth having, so it is switched off
for the life of the process (reference counting still frees memory).
"""


def main() -> None:
    import gc

    gc.disable()
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
