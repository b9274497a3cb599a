"""`make bench`: this assistant side by side with plain Rasa, in one run, on this machine.

The two contenders differ only in their model:

- plain Rasa: `rasa init`'s configuration of the installed Rasa (its default pipeline and
  policies), trained on this project's domain and training data, without our components;
- this assistant: config.yml, as `make run` trains it.

Both are served the same way, as `make run` serves (`python -m bot.serving`, the tracker store
of endpoints.yml in a fresh database, the REST channel, each with an action server of actions/),
and get the same simulated people (bot.load): 1, 5 and 20 talking at once, and one 40-turn
conversation played a few times. Training is timed from scratch and after a one-line change to
data/nlu.yml, in temporary copies. Every figure is also given as a ratio to plain Rasa's,
because absolute times on a shared machine move from run to run.

Modules: `contenders` (project copies, configs, timed training), `servers` (endpoints as
`make run` has them, process memory), `plan` (what is played), `report` (reports/bench.md and
the plot). `scripts/bench.py` runs it; `--short` measures only this assistant, briefly (CI).
"""
