#!/usr/bin/env bash
# run-fuzz.sh: builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs
# each for a fixed time; exits non-zero if any target crashes, leaks, hangs or fails to build.
#
# Usage: scripts/run-fuzz.sh [seconds-per-target, default 20]
#
# Output goes to build/fuzz/: the binaries, obj/ (incremental objects), corpus_<name>/
# (kept between runs, seeded from <dir of the fuzz source>/testdata/<name>/ when present),
# artifacts_<name>/ (crashing inputs) and <name>.log. A dictionary at
# <dir of the fuzz source>/testdata/<name>.dict is used when present.
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-20}"
OUT=build/fuzz
CXX="${CXX_FUZZ:-clang++-14}"
CXXFLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
          -fno-sanitize-recover=undefined -Wall -Wextra -Werror -Wno-unused-parameter
          -Iserver/src)
read -r -a LIBS <<< "$(pkg-config --libs libzip pugixml xlsxwriter)"

# The library sources of server/src/shian/io (no tests, no fuzz targets) and core/error.cpp.
IO_SOURCES="server/src/shian/core/error.cpp server/src/shian/core/text.cpp $(find server/src/shian/io -maxdepth 1 -name '*.cpp' \
    ! -name '*_test.cpp' ! -name '*_fuzz.cpp' | sort | tr '\n' ' ')"

# One target per line: "<name>|<fuzz target source> <other sources it needs...>".
TARGETS=(
    "csv_fuzz|server/src/shian/io/csv_fuzz.cpp ${IO_SOURCES}"
    "xlsx_fuzz|server/src/shian/io/xlsx_fuzz.cpp ${IO_SOURCES}"
    "json_fuzz|server/src/shian/http/json_fuzz.cpp server/src/shian/core/error.cpp server/src/shian/core/text.cpp server/src/shian/http/json_body.cpp"
)

mkdir -p "${OUT}/obj"

# Compiles $1 to an object under build/fuzz/obj unless it is up to date (source and headers,
# from the -MMD dependency file); prints the object path.
compile() {
    local src="$1"
    local obj="${OUT}/obj/${src//\//_}.o"
    local dep="${obj%.o}.d"
    local stale=1
    if [[ -f "${obj}" && -f "${dep}" ]]; then
        stale=0
        for file in $(sed -e 's/^[^:]*://' -e 's/\\$//' "${dep}"); do
            if [[ ! -f "${file}" || "${file}" -nt "${obj}" ]]; then
                stale=1
                break
            fi
        done
    fi
    if [[ "${stale}" == 1 ]]; then
        echo "  compiling ${src}" >&2
        "${CXX}" "${CXXFLAGS[@]}" -MMD -MF "${dep}" -c "${src}" -o "${obj}"
    fi
    echo "${obj}"
}

failed=()
summary=()
for entry in "${TARGETS[@]}"; do
    name="${entry%%|*}"
    read -r -a sources <<< "${entry#*|}"
    echo "== ${name}: building" >&2
    objects=()
    build_ok=1
    for src in "${sources[@]}"; do
        if ! obj="$(compile "${src}")"; then
            build_ok=0
            break
        fi
        objects+=("${obj}")
    done
    if [[ "${build_ok}" == 1 ]] &&
        ! "${CXX}" "${CXXFLAGS[@]}" "${objects[@]}" "${LIBS[@]}" -o "${OUT}/${name}"; then
        build_ok=0
    fi
    if [[ "${build_ok}" == 0 ]]; then
        failed+=("${name} (build)")
        continue
    fi

    corpus="${OUT}/corpus_${name}"
    artifacts="${OUT}/artifacts_${name}/"
    mkdir -p "${corpus}" "${artifacts}"
    testdata="$(dirname "${sources[0]}")/testdata"
    if [[ -d "${testdata}/${name}" ]]; then
        cp -f "${testdata}/${name}"/* "${corpus}/"
    fi
    options=(-max_total_time="${SECONDS_PER_TARGET}" -rss_limit_mb=2048 -timeout=25
             -print_final_stats=1 -artifact_prefix="${artifacts}")
    if [[ -f "${testdata}/${name}.dict" ]]; then
        options+=(-dict="${testdata}/${name}.dict")
    fi

    echo "== ${name}: fuzzing for ${SECONDS_PER_TARGET}s" >&2
    log="${OUT}/${name}.log"
    status=0
    "${OUT}/${name}" "${options[@]}" "${corpus}" > "${log}" 2>&1 || status=$?
    runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "${log}" | grep -Eo '[0-9]+$' \
        | tail -1 || true)"
    if [[ "${status}" != 0 ]]; then
        tail -n 60 "${log}" >&2
        failed+=("${name} (exit ${status}, see ${log} and ${artifacts})")
    fi
    corpus_size="$(find "${corpus}" -type f | wc -l)"
    summary+=("${name}: exit ${status}, ${runs:-?} executions in ${SECONDS_PER_TARGET}s,"\
" corpus ${corpus_size} files")
done

printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "all fuzz targets passed"
