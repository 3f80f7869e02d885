"""Benchmarks: a generated organisation, server throughput, reports at scale, content sync (make bench)."""
