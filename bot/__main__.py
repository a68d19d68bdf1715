"""Entry point placeholder, replaced by the CLI."""


def main() -> None:
    """Run the BackCare command line."""


if __name__ == "__main__":
    main()
