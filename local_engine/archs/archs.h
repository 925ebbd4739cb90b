#pragma once
// One function per supported architecture; arch.cpp lists them in its table.
#include "local_engine/arch.h"

namespace sb::engine::archs {

const ArchSpec& llama();
const ArchSpec& qwen2();

}  // namespace sb::engine::archs
