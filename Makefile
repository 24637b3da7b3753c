# jixiao — 预算绩效管理
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= tests/data/seeds
STAMP := $(VENV)/.installed

.PHONY: install sysdeps run test bench lint golden clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test,ocr,queue]'
	touch $(STAMP)

install: sysdeps $(STAMP)

## sysdeps: LibreOffice (writer, calc), Chinese fonts, poppler-utils, qpdf from Debian when missing
sysdeps:
	@bash tools/system-deps.sh

## run: migrate the database (SQLite in ./var unless JIXIAO_DATABASE_URL), file the sample and real
## documents under a demo region, print the URL and the demo logins, serve on 127.0.0.1:8000
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/jixiao demo --data tests/data --url http://$(HOST):$(PORT)
	$(BIN)/jixiao serve --host $(HOST) --port $(PORT)

## test: the whole suite (storage tests also on PostgreSQL when a server answers on 127.0.0.1:5432)
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
test: install
	$(BIN)/ruff check src tests bench
	@if [ -z "$$JIXIAO_TEST_PG_URL" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1).close()" 2>/dev/null; then \
		echo "PostgreSQL answers: storage tests run on it too"; \
		JIXIAO_TEST_PG_URL=$(PG_TEST_URL) $(BIN)/pytest; \
	else \
		$(BIN)/pytest; \
	fi

## bench: throughput and memory of parse, check and scoring; PDF libraries side by side; DOCX read
## against its XML load; a batch of 1,000 mixed real-format documents on 2 processes; import
## throughput into SQLite and PostgreSQL; API latency (20 clients, 20,000 projects) on PostgreSQL;
## the 文档 page: first render of 200 indicators in headless Chromium, server time per page
## (every page, the monitoring and operational-data pages on a round of 21,000 监控表)
## operational data: 1,000,000 records imported and aggregated on SQLite and PostgreSQL (records/s, memory);
## official documents written: a 项目支出绩效目标表 of 30 indicators and a 预算公开 package, per format
## monitoring: a round over 21,000 approved target sets opened, listed, one 监控表 filled and exported
PG_BENCH_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/docx_read.py
	$(BIN)/python bench/write_documents.py
	$(BIN)/python bench/batch.py --docs 1000 --jobs 2
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1).close()" 2>/dev/null; then \
		$(BIN)/python bench/service_import.py --pg $(PG_BENCH_URL) && \
		$(BIN)/python bench/api_load.py --pg $(PG_BENCH_URL); \
		$(BIN)/python bench/web_render.py --pages --pg $(PG_BENCH_URL); \
		$(BIN)/python bench/web_pages.py --pg $(PG_BENCH_URL); \
		$(BIN)/python bench/web_analysis.py --pg $(PG_BENCH_URL); \
		$(BIN)/python bench/opdata_import.py --pg $(PG_BENCH_URL); \
		$(BIN)/python bench/monitoring_round.py; \
		$(BIN)/python bench/monitoring_round.py --pg $(PG_BENCH_URL); \
	else \
		echo "PostgreSQL does not answer on 127.0.0.1:5432: import into SQLite only, no API load"; \
		$(BIN)/python bench/service_import.py && \
		$(BIN)/python bench/web_render.py; \
		$(BIN)/python bench/opdata_import.py; \
		$(BIN)/python bench/monitoring_round.py; \
	fi

lint: install
	$(BIN)/ruff check src tests bench

## golden: rewrite the golden files (review the diff by hand before committing)
golden: install
	JIXIAO_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_golden_*.py -q

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .hypothesis
