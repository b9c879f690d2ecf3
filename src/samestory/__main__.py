from samestory.cli import main  # absolute: this file is also run as a script (spark-submit)

raise SystemExit(main())
