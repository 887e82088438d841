// libFuzzer's driver entry point, declared for the Swift fuzz targets (FuzzSupport).
// SwiftPM links an executable with `main` renamed to `<Target>_main`, which hides libFuzzer's
// own main; each target defines that symbol and starts the driver through this function.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
