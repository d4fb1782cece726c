// The `spectest` host module the spec test scripts import, as the reference interpreter defines
// it: print functions, four immutable globals (666 / 666.6), a funcref table (10..20) and a
// memory (1..2 pages).
#pragma once

#include <ostream>

#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/util/expected.h"

namespace lantern::spectest {

// Allocates the module's objects in `store` and defines them in `linker` under "spectest".
// The print functions write their arguments to `print_to` when it is not null.
Expected<void> define_spectest_module(engine::Store& store, engine::Linker& linker,
                                      std::ostream* print_to);

}  // namespace lantern::spectest
