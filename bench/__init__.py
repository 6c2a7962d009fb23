"""Benchmarks of Video Downloader Pro against the tools it replaces; `python -m bench.run` runs them all."""
