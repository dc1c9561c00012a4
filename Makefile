# Chimera's two commands: `make run` (set up, then the dev world) and `make test` (set up, then
# every test). Both install what they need themselves; see README.md.

CARGO ?= cargo

.PHONY: setup web run test bench gas vectors demo

## Install the toolchain the repo pins: Foundry (anvil, forge, cast) + solc + OpenZeppelin from
## npm (and `forge build`), the ONNX Runtime library from its PyPI wheel. Idempotent.
setup:
	bash contracts/scripts/setup.sh
	bash scripts/export_contract_artifact.sh
	bash scripts/setup_onnxruntime.sh

## The web app, built into web/dist (served at / by the service). The dev chain's RPC URL goes
## into its /config.json so a wallet can add the network with one click.
web:
	CHIMERA_RPC_URL=http://127.0.0.1:8545 CHIMERA_CHAIN_NAME="Chimera dev" bash web/scripts/build.sh

## The main job: the dev world — local chain, contract, genesis characters, indexer, keeper,
## API and web app on 127.0.0.1. Ctrl-C stops it; `make run ARGS=--reset` starts afresh.
## A debug build: it is the one `make test` builds too, and the slow parts (inference, the
## chain) are native code either way; `cargo run --release -- dev` for an optimised one.
run: setup web
	$(CARGO) run --quiet -- dev $(ARGS)

## Every test: forge (unit, fuzz, the shared vectors), cargo (unit, property, generator, anvil
## round trip, platform end to end, reorg, SIGKILL recovery), then the web app end to end.
test: setup
	bash contracts/scripts/test.sh
	$(CARGO) build --quiet --bin chimera
	$(CARGO) test --no-fail-fast
	CHIMERA_BIN=$(CURDIR)/target/debug/chimera bash web/scripts/e2e.sh

## Benchmarks: criterion (fusion vs its keccak floor, generator batching, preference), the
## platform (indexing, requests/s under wrk), forge gas figures.
bench: setup
	@command -v wrk >/dev/null || (apt-get install -y wrk >/dev/null 2>&1 || echo "wrk could not be installed: the HTTP figures will be skipped")
	$(CARGO) bench --bench fusion
	$(CARGO) bench --bench generator
	$(CARGO) bench --bench preference
	$(CARGO) bench --bench platform
	bash contracts/scripts/gas.sh

gas: setup
	bash contracts/scripts/gas.sh

## Regenerate the shared breed vectors from the Rust engine (review the diff before committing).
vectors:
	$(CARGO) run --quiet -- vectors

## The genome and fusion tour, no chain needed.
demo:
	$(CARGO) run --quiet -- demo
