"""``python -m cwgraph``."""

from cwgraph.cli import main

if __name__ == "__main__":
    main()
