#include "policies/text/popcount_dispatch.h"

namespace sb::policies::text {

#if defined(__x86_64__) && defined(__GNUC__)
bool cpu_has_popcnt() {
  static const bool has = __builtin_cpu_supports("popcnt");
  return has;
}
#endif

}  // namespace sb::policies::text
