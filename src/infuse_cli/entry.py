"""The console entry point, kept tiny so it runs before anything heavy is imported.

A command lives for well under a second. During start-up the cyclic garbage
collector runs again and again over the objects module imports create,
costing about 5 ms and reclaiming nothing worth having, so it is switched off
for the life of the process (reference counting still frees memory).
"""


def main() -> None:
    import gc

    gc.disable()
    from infuse_cli.cli.app import main as run

    run()
