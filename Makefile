# `make run`: set everything up and start the assistant (Ctrl-C stops it).
# `make test`: set everything up and run every check that CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MODEL := models/current.tar.gz

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONHASHSEED := 0
# The secret Rasa sends the action server (endpoints.yml); one per `make` run unless the environment gives one.
ifeq ($(ACTION_SERVER_TOKEN),)
ACTION_SERVER_TOKEN := $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')
endif
export ACTION_SERVER_TOKEN

KNOWLEDGE := $(wildcard knowledge/*.yml)
TRAINING_DIGEST := data/nlu/.training-digest
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') \
	bot/nlu/components.py bot/nlu/homophones.py bot/nlu/exact_match.py bot/nlu/lexical_ranker.py bot/nlu/normalize.py bot/nlu/lexicon.py bot/nlu/lexicon.yml \
	$(wildcard bot/nlu/jieba_dict/*)

.PHONY: setup generate train promote run run-cluster test lint unit validate nlu-eval core-eval security e2e bench bench-cluster clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Training data, responses and the held-out set are generated from knowledge/.
generate: $(VENV)/.installed
	$(BIN)/python -m bot.knowledge.build

# The build rewrites only the files whose content changed, and the digest only when the training data
# did: an edited answer is not training data (the FAQ action serves it from knowledge/), so it does not
# retrain.
data/nlu/.generated: $(KNOWLEDGE) bot/policy/documents.yml $(wildcard bot/knowledge/*.py) | $(VENV)/.installed
	$(BIN)/python -m bot.knowledge.build
	touch $@

$(TRAINING_DIGEST): data/nlu/.generated
	@test -f $@ || $(BIN)/python -m bot.knowledge.build

# Trains only when the training data, config or NLU code changed since the last model.
$(MODEL): $(TRAINING_DIGEST) $(TRAINING_INPUTS) | $(VENV)/.installed
	$(BIN)/rasa train --fixed-model-name current --out models
	touch $@

train: $(MODEL)

# Train a candidate on the training data as staff left it (the inbox), check it against the model in
# service, and put it live (Rasa's API, RASA_URL and RASA_API_TOKEN) only if it is no worse.
promote: $(VENV)/.installed
	$(BIN)/python -m bench.promote

run: $(MODEL)
	scripts/run.sh

# The production topology on this machine: PostgreSQL, Redis, nginx, 2 Rasa replicas, 2 action servers.
run-cluster: $(MODEL)
	bash scripts/cluster.sh

# Lint, format and types of the assistant's code.
lint: $(VENV)/.installed
	$(BIN)/ruff check bot actions
	$(BIN)/ruff format --check bot actions
	$(BIN)/mypy

# The database tests run on SQLite and on PostgreSQL, the lock-store tests on Redis; scripts/postgres.sh
# and scripts/redis.sh install (Debian, as root) and start local servers unless the variables name some.
unit: $(VENV)/.installed
	$(BIN)/python -m bot.knowledge.build --check
	url="$${TEST_POSTGRES_URL:-$$(bash scripts/postgres.sh)}" && \
	  redis="$${TEST_REDIS_URL:-$$(bash scripts/redis.sh)}" && \
	  TEST_POSTGRES_URL="$$url" TEST_REDIS_URL="$$redis" BOT_REQUIRE_POSTGRES=1 BOT_REQUIRE_REDIS=1 \
	  $(BIN)/pytest -m "not e2e and not security"

validate: $(VENV)/.installed
	$(BIN)/rasa data validate --data data --domain domain.yml --config config.yml

nlu-eval: $(MODEL)
	$(BIN)/rasa test nlu --model $(MODEL) --nlu tests/nlu --out results/nlu --no-plot
	$(BIN)/python -m bench.nlu_eval --model $(MODEL) --gate

core-eval: $(MODEL)
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories --out results/core --fail-on-prediction-errors --no-plot

# Probes of the running servers as a hostile client: forged action calls, replays, bad request shapes,
# other channels' senders, personal data in the database and logs (docs/security.md).
security: $(MODEL)
	$(BIN)/pytest -m security tests/security

# End-to-end: REST, WeChat, the chat page and the staff console in Debian's Chromium, faults in one
# process, and the cluster (nginx, Redis, PostgreSQL, 2 replicas) under faults.
e2e: $(MODEL)
	bash scripts/browser.sh
	url="$${TEST_CLUSTER_DATABASE_URL:-$$(bash scripts/cluster.sh --prepare)}" && \
	  TEST_CLUSTER_DATABASE_URL="$$url" $(BIN)/pytest -m e2e

test: lint unit validate nlu-eval core-eval security e2e

bench: $(MODEL)
	$(BIN)/python -m bench.run_all

# 50 conversations x 20 messages: one process, the cluster, and the cluster with Rasa's stock lock store;
# the two lock stores alone under contention; the cluster under faults. Tables in docs/benchmarks.md.
bench-cluster: $(MODEL)
	url="$${DATABASE_URL:-$$(bash scripts/cluster.sh --prepare)}" && redis="$$(bash scripts/redis.sh)" && \
	  DATABASE_URL="$$url" $(BIN)/python -m bench.cluster_load && \
	  $(BIN)/python -m bench.lock_race --redis-url "$$redis" && \
	  DATABASE_URL="$$url" $(BIN)/python -m bench.cluster_faults

clean:
	rm -rf models results .pytest_cache
