#!/usr/bin/env bash
# Every tracked C and C++ file is formatted as .clang-format says.
#   format_test.sh SOURCE_DIR
# Skips (77) outside a git checkout or without clang-format.
set -euo pipefail
cd "$1"
command -v clang-format >/dev/null || { echo "SKIP: clang-format is not installed"; exit 77; }
git rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: not a git checkout"; exit 77; }
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h')
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "FAIL: run: git ls-files '*.c' '*.cpp' '*.h' | xargs clang-format -i"
  exit 1
fi
echo "ok   ${#files[@]} files formatted as .clang-format says"
