"""`python -m bot.serving run ARGS...`: `rasa run ARGS...` with the adaptations of bot/serving/adaptations.py."""
import sys

from bot.serving.adaptations import install

install()
from rasa.__main__ import main  # noqa: E402 - Rasa's command line, after the adaptations

sys.argv[0] = "rasa"
sys.exit(main())
