// Only the header matters (LLVMFuzzerRunDriver comes from libFuzzer at link time); SwiftPM
// wants one source file in a C target.
#include "CFuzzDriver.h"
