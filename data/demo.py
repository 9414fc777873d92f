"""`python -m data.demo`: the older name of `python -m demo` (the demo builder has its own
package, demo/; the data layer never imports it, this command-line alias excepted)."""

if __name__ == "__main__":
    import sys

    from demo.__main__ import main  # the one exception to "data/ never imports demo/"

    sys.exit(main(prog="python -m data.demo"))
