"""Benchmarks. Each prints a ratio against a baseline measured in the same process, because
absolute times drift on shared machines. Run all with `python -m bench` or one module with
`python -m bench.<name>`."""
