from release_guard.cli import main

raise SystemExit(main())
