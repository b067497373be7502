"""Scale: the benchmark corpus, the benchmark runner and its report."""
