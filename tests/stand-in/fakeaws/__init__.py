"""fakeaws: the pieces of the loopback AWS stand-in (see ../README).

standin.py at the folder above is the entry point; this package holds the
world model, the wire formats and one module per group of operations.
"""
