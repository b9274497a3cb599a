"""`python -m bot.serving run ARGS...`: `rasa run ARGS...` with the adaptations of bot/serving/adaptations.py
(failing safely) and bot/serving/speedups.py (serving fast)."""
import sys

from bot.serving import adaptations, speedups

adaptations.install()
speedups.install()
from rasa.__main__ import main  # noqa: E402 - Rasa's command line, after the adaptations

sys.argv[0] = "rasa"
sys.exit(main())
