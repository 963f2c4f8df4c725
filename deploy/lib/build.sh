# Configures and builds the project into $BUILD_DIR (default build/). Source this file.
build_project() {
    local root=$1
    local build_dir=${BUILD_DIR:-$root/build}
    local jobs
    jobs=$(nproc)
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} >/dev/null
    ninja -C "$build_dir" -j "$jobs"
}
