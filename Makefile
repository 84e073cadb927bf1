.PHONY: test bootstrap eval bench clarify-model clean

bootstrap:
	@./scripts/bootstrap.sh

test: bootstrap
	.venv/bin/python -m pytest -q $(PYTEST_ARGS)

eval: bootstrap
	.venv/bin/liveview-skill eval --via inprocess

bench: bootstrap
	.venv/bin/python benchmarks/run.py

# Retrain skill_server/clarify/model.json after changing evals/clarify*.jsonl, the translations or the stemmer.
clarify-model: bootstrap
	.venv/bin/python scripts/train_clarify_model.py

clean:
	rm -rf .venv .cache build dist *.egg-info
