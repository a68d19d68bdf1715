"""What the tests and the bench share: the Bot API fake, factories, databases."""
