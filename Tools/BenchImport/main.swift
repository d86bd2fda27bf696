// Filled in by the import benchmark.
