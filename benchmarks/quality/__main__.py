"""``python -m benchmarks.quality``: the engine-quality benchmark (see :mod:`.runner`)."""

from benchmarks.quality.runner import main

main()
