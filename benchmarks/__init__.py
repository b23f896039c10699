"""The benchmarks of ipsreport (``make bench``): see :mod:`benchmarks.run` for what each module measures."""
