"""`python -m bot.serving ARGS...` runs `rasa ARGS...` with this project's adapters (bot/serving/__init__.py)."""
from __future__ import annotations

import sys

from bot import serving


def main() -> None:
    serving.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
