"""`python -m skillbite` runs the command-line interface."""

from skillbite.cli.main import run

if __name__ == "__main__":
    run()
