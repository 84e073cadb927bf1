.PHONY: test bootstrap eval bench clean

bootstrap:
	@./scripts/bootstrap.sh

test: bootstrap
	.venv/bin/python -m pytest -q $(PYTEST_ARGS)

eval: bootstrap
	.venv/bin/liveview-skill eval --via inprocess

bench: bootstrap
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf .venv .cache build dist *.egg-info
