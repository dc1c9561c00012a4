# Chimera's two commands: `make run` (set up, then the main job) and `make test` (set up, then
# every test). Both install what they need themselves; see README.md.

CARGO ?= cargo

.PHONY: setup run test bench gas vectors

## Install the toolchain the repo pins: Foundry (anvil, forge, cast) + solc + OpenZeppelin from
## npm, and the ONNX Runtime library from its PyPI wheel. Idempotent and quick when done.
setup:
	bash contracts/scripts/setup.sh
	@if [ -f scripts/setup_onnxruntime.sh ]; then bash scripts/setup_onnxruntime.sh; fi

## The main job. For now: the genome and fusion demo (the dev world arrives with the platform).
run: setup
	$(CARGO) run --release --quiet -- demo

## Every test: forge (unit, fuzz, the shared vectors), then cargo (unit, property, anvil round trip).
test: setup
	bash contracts/scripts/test.sh
	$(CARGO) test --no-fail-fast

## Benchmarks: criterion (fusion vs its keccak floor) and forge gas figures.
bench: setup
	$(CARGO) bench --bench fusion
	bash contracts/scripts/gas.sh

gas: setup
	bash contracts/scripts/gas.sh

## Regenerate the shared breed vectors from the Rust engine (review the diff before committing).
vectors:
	$(CARGO) run --quiet -- vectors
