# Configures and builds the project into $BUILD_DIR (default build/). Source this file.
# build_project ROOT [TARGET...]: no targets builds everything.
build_project() {
    local root=$1
    shift
    local build_dir=${BUILD_DIR:-$root/build}
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
    ninja -C "$build_dir" -j "$(nproc)" "$@"
}
