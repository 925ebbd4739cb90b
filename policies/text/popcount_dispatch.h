#pragma once
// Mask scanners count bits in every block. Without -mpopcnt (baseline x86-64) each
// std::popcount is a library call; with_popcount_instruction runs a scanner compiled with
// the POPCNT instruction where the CPU has it (read once), else the portable build.
// Not with ifunc target clones, whose resolvers run before ThreadSanitizer's runtime is up.
namespace sb::policies::text {

#if defined(__x86_64__) && defined(__GNUC__)
bool cpu_has_popcnt();

template <class Scan>
[[gnu::target("popcnt")]] auto run_with_popcnt(const Scan& scan) {
  return scan();
}

// `scan` is a lambda marked __attribute__((always_inline)) whose body (and any
// always_inline scanner it calls) is thereby compiled into both builds.
template <class Scan>
auto with_popcount_instruction(const Scan& scan) {
  return cpu_has_popcnt() ? run_with_popcnt(scan) : scan();
}
#else
template <class Scan>
auto with_popcount_instruction(const Scan& scan) {
  return scan();
}
#endif

}  // namespace sb::policies::text
