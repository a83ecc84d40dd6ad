# Sourced by the benchmark scripts: build_release ROOT BUILD_DIR configures and builds the
# Release tree with the benchmark's tools (ccache when present).
build_release() {
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DG2A_BUILD_BENCH=ON \
    "${launcher[@]}" >/dev/null
  cmake --build "$2" >/dev/null
}
