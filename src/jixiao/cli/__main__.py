"""``python -m jixiao.cli``: the ``jixiao`` command."""

from jixiao.cli import main

main()
