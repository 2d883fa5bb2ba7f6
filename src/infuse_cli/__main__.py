from infuse_cli.cli.app import main

main()
