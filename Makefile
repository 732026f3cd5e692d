# Two commands for a new user: `make run` (set up, then start the assistant) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# torch is installed first and pinned, so sentence-transformers never pulls a multi-GB CUDA build.
# On this machine kind pip takes the CPU wheel from local disk; elsewhere pass your CPU wheel index:
#   make setup PIP_TORCH_ARGS="--index-url <your PyTorch CPU wheel index>"
TORCH_SPEC ?= torch==2.13.0
PIP_TORCH_ARGS ?=

.PHONY: setup run index test screenshots eval eval-ci eval-holdout eval-distractors eval-forms eval-yesno eval-followups clean
setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_TORCH_ARGS) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e '.[test,local]'
	rm -f $(VENV)/.installed-*
	touch $@

run: setup
	$(BIN)/python app.py

index: setup
	$(BIN)/assistant index

test: setup
	$(BIN)/python -m pytest

# The page in light, dark and on a phone, as the browser test renders it (needs Debian's chromium).
screenshots: setup
	UI_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/test_ui_e2e.py -k "two_answers or contrast or phone"

# Answer quality on eval/dev.jsonl: writes eval/reports/latest.{json,md}, metrics.png, then README's table.
eval: setup
	$(BIN)/assistant eval --ci
	$(BIN)/python eval/update_readme.py

# The learned answer models (sentence ranker, refusal, short answer, follow-up ranker and refusal) from ARCD-train
# and the news questions of eval/train/ (articles read from ../shared/datasets/saudinewsnet), validated by article:
# writes assistant/answer/models/* and eval/reports/train.md. Two runs can differ in the third decimal: a few
# questions sit at ties that flip between runs (docs/experiments.md).
train: setup
	$(BIN)/assistant train

# ARCD-train asked of its own articles, without them and of the news: eval/reports/squad-arcd-train.*
eval-squad: setup
	$(BIN)/assistant eval --squad ../shared/datasets/arcd/arcd-train.json

# What CI runs after the tests: backends, questions and thresholds from eval/thresholds.toml.
eval-ci: setup
	$(BIN)/assistant eval --ci

# The held-out questions (eval/holdout.jsonl), written apart from the dev set: does a change generalise?
eval-holdout: setup
	$(BIN)/assistant eval --file eval/holdout.jsonl --backend extractive --no-report

# eval/dev and holdout over the bundled articles alone and with N SaudiNewsNet articles as distractors (from
# ../shared, never committed), side by side; writes eval/reports/bench_distractors.{md,json}. Tens of minutes.
DISTRACTORS ?= 2000
eval-distractors: setup
	$(BIN)/assistant bench --distractors $(DISTRACTORS)

# Yes/no and wh-questions (eval/forms.jsonl), half of them near misses that ask about a relation the articles
# never state: the hardest refusals.
eval-forms: setup
	$(BIN)/assistant eval --file eval/forms.jsonl --backend extractive --no-report

# Yes/no questions only (eval/yesno.jsonl): 45 the articles answer, most in other words than theirs, half of them
# «no»; 30 near misses. Written blind, to test any rule about yes/no questions before it ships.
eval-yesno: setup
	$(BIN)/assistant eval --file eval/yesno.jsonl --backend extractive --no-report

# Follow-ups (eval/followups.jsonl): each conversation is replayed, the earlier questions answered in turn;
# eval/followups_subject.jsonl: follow-ups whose subject is only implied («وكيف وصف زيارة كيم؟» after a question
# on an analyst), where the follow-up's own words fit a sentence about someone else; eval/followups_blind.jsonl:
# 36 more such conversations (some spoken Arabic), written by a helper who never saw the code.
eval-followups: setup
	$(BIN)/assistant eval --file eval/followups.jsonl --backend extractive --no-report
	$(BIN)/assistant eval --file eval/followups_subject.jsonl --backend extractive --no-report
	$(BIN)/assistant eval --file eval/followups_blind.jsonl --backend extractive --no-report

clean:
	rm -rf $(VENV) index/current index/v-* index/.build-*
