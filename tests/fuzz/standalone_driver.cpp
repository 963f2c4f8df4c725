// A main() for fuzz targets when libFuzzer is not in use (g++ builds, CI): replays the seed
// inputs, then a bounded number of deterministic mutations of them, through the target. It
// finds crashes and sanitizer reports on the paths the seeds reach; clang's libFuzzer
// (-DCENTINELA_LIBFUZZER=ON) explores much further when run by hand.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
std::vector<std::string> fuzz_seeds();  // defined by each target

namespace {

std::string mutate(std::string input, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const auto pos = input.empty() ? 0 : rng() % (input.size() + 1);
    switch (rng() % 4) {
      case 0: input.insert(input.begin() + static_cast<long>(pos), static_cast<char>(byte(rng))); break;
      case 1: if (pos < input.size()) input.erase(pos, 1 + rng() % 8); break;
      case 2: if (pos < input.size()) input[pos] = static_cast<char>(byte(rng)); break;
      default: input.insert(pos, input.substr(0, rng() % (input.size() + 1))); break;  // repeat a prefix
    }
  }
  if (input.size() > 4096) input.resize(4096);
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 20'000;
  const auto seeds = fuzz_seeds();
  for (const auto& s : seeds) LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  std::mt19937 rng(12345);  // deterministic: a failure reproduces with the same count
  for (long i = 0; i < iterations; ++i) {
    const auto input = mutate(seeds[rng() % seeds.size()], rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::cout << "fuzz: " << seeds.size() << " seeds, " << iterations << " mutations, no crash\n";
  return 0;
}
