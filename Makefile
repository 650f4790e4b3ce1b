# Two commands for a new user: `make demo` and `make test` (both create .venv on first use).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test e2e sample bench template clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==$$(grep '^pip==' constraints.txt | cut -d= -f3)"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@# rfc3987-syntax only adds ~3.6 s to every nbformat import (see TOOLCHAIN.md); nothing needs it
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax || true
	@# the kit's own bytecode, as pip writes it for every other package (an editable install
	@# does not): each command's processes then load it instead of compiling the sources
	@# (≈ 0.2 s each; Python ignores a .pyc older than its source)
	$(BIN)/python -m compileall -q qualitykit > /dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qualitykit demo --out output/demo
	@echo "\n体质健康分析（示例学校 2025 年体测，与 2024 年比较）："
	$(BIN)/qualitykit fitness --out output/demo/体质健康分析
	@echo "\n教学常规考核（示例学校的检查记录）："
	$(BIN)/qualitykit routine sample_data/教学常规检查记录.xlsx --out output/demo/routine

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider notebooks/

# the console in a real browser: JupyterLab on 127.0.0.1 + the system's headless Chromium
# (Debian: apt-get install -y chromium); screenshots in output/e2e/
e2e: $(STAMP)
	QUALITYKIT_E2E=1 $(BIN)/python -m pytest -q -p no:cacheprovider -rs tests/test_e2e.py

sample: $(STAMP)
	$(BIN)/python -c "from qualitykit.io.sample import simulate, write_sample; print(write_sample(simulate()))"
	$(BIN)/python -c "from qualitykit.district.league_sample import write_league; print(write_league())"
	$(BIN)/python -c "from qualitykit.fitness.sample import write_fitness_sample; print(write_fitness_sample())"
	$(BIN)/python -c "from qualitykit.routine.sample import write_sample_record; print(write_sample_record())"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_charts.py
	$(BIN)/python benchmarks/bench_growth.py

# rebuild the Word templates (templates/质量分析报告模板.docx, 等级分析报告模板.docx) from qualitykit/report/word.py
# and templates/教学常规检查记录.xlsx from qualitykit/routine/workbooks.py
template: $(STAMP)
	$(BIN)/python -c "from qualitykit.report.word import build_template, build_level_template; print(build_template(), build_level_template())"
	$(BIN)/python -c "from qualitykit.routine.workbooks import write_routine_template; print(write_routine_template())"

clean:
	rm -rf $(VENV) output .pytest_cache
