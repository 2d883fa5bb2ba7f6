from infuse_cli.entry import main

main()
